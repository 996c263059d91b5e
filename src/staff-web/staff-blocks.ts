import { HtmlValue, SafeHtml, markup } from '../web/html';

/** Pieces several staff pages are built from, so that they look and read the same everywhere. */

/** A count with its noun: "1 row", "2,000 rows". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** What the last action did, when the address says one was done; nothing otherwise. */
export function notice(text: string | undefined): HtmlValue {
  return (
    text !== undefined &&
    markup`<div class="notice notice-success" role="status"><p>${text}</p></div>\n`
  );
}

/** A table that scrolls on its own (and can be reached by keyboard) when it is wider than the page. */
export function tableWrap(
  id: string,
  caption: HtmlValue,
  head: string[],
  rows: HtmlValue,
): SafeHtml {
  return markup`<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">
<table class="staff-table">
<caption id="${id}" class="table-caption">${caption}</caption>
<thead>
<tr>${head.map((h) => markup`<th scope="col">${h}</th>`)}</tr>
</thead>
<tbody>
${rows}</tbody>
</table>
</div>
`;
}
