/**
 * A tiny HTML builder: every interpolated value is escaped unless it is already `SafeHtml`, so a
 * petitioner's answer (`<script>`, `"><img`, `{{7*7}}`) always renders as the text they typed.
 * There is deliberately no way to turn an arbitrary string into `SafeHtml`: markup only comes from
 * template literals written in this folder.
 *
 * The tag is called `markup`, not `html`: Prettier reformats templates tagged `html` as HTML,
 * which rewrites the whitespace a <textarea> keeps and breaks `<input${attrs(...)}>`.
 */

/** Not exported: holding it is what lets this module, and only it, vouch for markup. */
const VOUCHER: unique symbol = Symbol('SafeHtml');

export class SafeHtml {
  constructor(
    voucher: typeof VOUCHER,
    private readonly text: string,
  ) {
    if (voucher !== VOUCHER) throw new Error('SafeHtml is made by markup`` only');
  }

  toString(): string {
    return this.text;
  }
}

function trusted(markup: string): SafeHtml {
  return new SafeHtml(VOUCHER, markup);
}

/** What a template accepts: `false`, `null` and `undefined` render nothing, so `cond && markup` works. */
export type HtmlValue =
  SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return trusted(out);
}

export type AttrValue = string | number | boolean | null | undefined;

const ATTR_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Attributes from a record: `true` writes a boolean attribute, `false`/`null`/`undefined` leave it
 * out, anything else is escaped inside double quotes. Names are ours, but checked all the same.
 */
export function attrs(record: Record<string, AttrValue>): SafeHtml {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (!ATTR_NAME.test(name)) throw new Error(`not an attribute name: ${name}`);
    if (value === false || value === null || value === undefined) continue;
    parts.push(value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`);
  }
  return trusted(parts.join(''));
}

/** Ids for `aria-describedby`: only the ones present, or no attribute at all. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === 'string' && id !== '');
  return present.length > 0 ? present.join(' ') : undefined;
}
