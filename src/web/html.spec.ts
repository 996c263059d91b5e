import { decodeHtml } from '../../test/support/html-text';
import { SafeHtml, attrs, describedBy, escapeHtml, markup } from './html';

describe('the HTML builder', () => {
  it('escapes every interpolated string, so hostile answers render as typed', () => {
    const answers = [
      '<script>alert(1)</script>',
      '{{7*7}}',
      '"><img src=x onerror=alert(1)>',
      "' onmouseover='alert(1)",
      '`${7*7}`',
      '&lt;already escaped&gt;',
    ];
    for (const answer of answers) {
      const page = markup`<p title="${answer}">${answer}</p>`.toString();
      expect(page).toBe(`<p title="${escapeHtml(answer)}">${escapeHtml(answer)}</p>`);
      expect(page).not.toMatch(/<script|<img|" on|' on/);
      // Escaping is reversible: the petitioner reads back exactly what they typed.
      expect(decodeHtml(escapeHtml(answer))).toBe(answer);
    }
    expect(markup`${'{{7*7}}'}`.toString()).toBe('{{7*7}}');
  });

  it('keeps fragments it built itself, and nests without escaping twice', () => {
    const inner = markup`<b>${'a & b'}</b>`;
    expect(markup`<p>${inner}</p>`.toString()).toBe('<p><b>a &amp; b</b></p>');
    expect(markup`<ul>${['<x>', markup`<li>y</li>`]}</ul>`.toString()).toBe(
      '<ul>&lt;x&gt;<li>y</li></ul>',
    );
  });

  it('renders nothing for false, null and undefined, and numbers as text', () => {
    const none: (false | null | undefined)[] = [false, null, undefined];
    expect(markup`[${none}]`.toString()).toBe('[]');
    expect(markup`${0} ${12}`.toString()).toBe('0 12');
  });

  it('cannot be handed a string that claims to be safe', () => {
    const forged = SafeHtml as unknown as new (voucher: symbol, text: string) => SafeHtml;
    expect(() => new forged(Symbol('SafeHtml'), '<script>')).toThrow();
    const lookalike = { toString: () => '<script>' } as unknown as string;
    expect(markup`${lookalike}`.toString()).toBe('&lt;script&gt;');
  });

  it('writes attributes escaped, boolean ones bare, and leaves out absent ones', () => {
    expect(
      attrs({ value: '"><script>', checked: true, disabled: false, title: undefined }).toString(),
    ).toBe(' value="&quot;&gt;&lt;script&gt;" checked');
    expect(() => attrs({ 'onclick="x"': 'y' })).toThrow();
    expect(describedBy('a-hint', false, undefined, 'a-error')).toBe('a-hint a-error');
    expect(describedBy(false, undefined)).toBeUndefined();
  });
});
