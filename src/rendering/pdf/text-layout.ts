/** Width in points of a piece of text at the size being laid out. */
export type Measure = (text: string) => number;

/** Places where a line may break: after spaces, and around each CJK character. */
const TOKEN =
  /\s+|[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+/gu;

/**
 * Greedy word wrap: every paragraph (`\n`) starts a line, words move to the next line when they
 * would cross `maxWidth`, and a word wider than a whole line is broken between characters. The
 * result holds every character of the input but the spaces at the line breaks, so wrapped text
 * loses nothing.
 */
export function wrapText(text: string, maxWidth: number, measure: Measure): string[] {
  // Words recur, and shaping a string is the slow part of layout: measure each token once.
  const cache = new Map<string, number>();
  const widthOf = (t: string) => {
    let w = cache.get(t);
    if (w === undefined) {
      w = measure(t);
      cache.set(t, w);
    }
    return w;
  };
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, maxWidth, widthOf));
}

/**
 * Line widths are sums of token widths: tokens break at spaces and between CJK characters,
 * where fonts do not kern, so the sum is the width the line is drawn at.
 */
function wrapParagraph(paragraph: string, maxWidth: number, widthOf: Measure): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let space = '';
  let spaceWidth = 0;
  const place = (token: string, width: number) => {
    if (width <= maxWidth) {
      line = token;
      lineWidth = width;
      return;
    }
    const pieces = breakWord(token, maxWidth, widthOf);
    lines.push(...pieces.slice(0, -1));
    line = pieces.at(-1) ?? '';
    lineWidth = widthOf(line);
  };
  for (const token of paragraph.match(TOKEN) ?? []) {
    const width = widthOf(token);
    if (/^\s+$/.test(token)) {
      space += token;
      spaceWidth += width;
      continue;
    }
    if (line === '') {
      // Indentation survives only at the start of a paragraph; spaces at a break disappear.
      const indent = lines.length === 0 ? space : '';
      place(indent + token, (indent ? spaceWidth : 0) + width);
    } else if (lineWidth + spaceWidth + width <= maxWidth) {
      line += space + token;
      lineWidth += spaceWidth + width;
    } else {
      lines.push(line);
      place(token, width);
    }
    space = '';
    spaceWidth = 0;
  }
  lines.push(line);
  return lines;
}

/** Splits one over-long word between characters; a single character always gets a line. */
function breakWord(word: string, maxWidth: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece !== '' && measure(piece + char) > maxWidth) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  pieces.push(piece);
  return pieces;
}
