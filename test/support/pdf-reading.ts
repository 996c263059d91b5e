import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Reads PDFs the way a court clerk's software would, with tools that share no code with the
 * pdf-lib that wrote them: poppler (pdftotext, pdfinfo) and qpdf.
 */

const run = promisify(execFile);

async function withPdfFile<T>(bytes: Uint8Array, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-read-'));
  try {
    const path = join(dir, 'in.pdf');
    await writeFile(path, bytes);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Bidi embedding marks pdftotext puts around right-to-left text. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as `pdftotext -layout` reads it, optionally only pages `first`..`last` (1-based).
 * Normalised to NFC (poppler returns `ị` as `i` + combining dot below when the font draws it so)
 * and without the bidi marks poppler adds, so a name compares equal to how it was typed.
 */
export async function pdfText(
  bytes: Uint8Array,
  pages: { first?: number; last?: number } = {},
): Promise<string> {
  return withPdfFile(bytes, async (path) => {
    const range = [
      ...(pages.first ? ['-f', String(pages.first)] : []),
      ...(pages.last ? ['-l', String(pages.last)] : []),
    ];
    const out = `${path}.txt`;
    await run('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, path, out]);
    const text = await readFile(out, 'utf8');
    return text.normalize('NFC').replace(BIDI_CONTROLS, '');
  });
}

/** What one field holds: its `/V` and, for buttons, each widget's `/AS`. */
export interface PdfFieldValue {
  type: string;
  /** Text for text fields; the state name (e.g. `/3`, `/Off`) for buttons. */
  value: string;
  /** Appearance states of the widgets, in order (buttons only). */
  appearanceStates: string[];
}

interface QpdfField {
  fullname: string;
  fieldtype: string;
  value: unknown;
  annotation?: { appearancestate?: unknown };
}

interface QpdfAcroform {
  acroform?: { fields?: QpdfField[] };
}

function stateText(v: unknown): string {
  if (typeof v === 'string') return v.replace(/^u:/, '');
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

/** Field name to its value: the text, or a button's `/V` state name such as `/3` or `/Off`. */
export async function pdfFieldValues(bytes: Uint8Array): Promise<Record<string, string>> {
  const states = await pdfFieldStates(bytes);
  return Object.fromEntries(Object.entries(states).map(([name, f]) => [name, f.value]));
}

/** Every field with its type, value and widget appearance states, from `qpdf --json`. */
export async function pdfFieldStates(bytes: Uint8Array): Promise<Record<string, PdfFieldValue>> {
  const json = await withPdfFile(bytes, async (path) => {
    const { stdout } = await run('qpdf', ['--json=2', '--json-key=acroform', path], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as QpdfAcroform;
  });
  const result: Record<string, PdfFieldValue> = {};
  for (const f of json.acroform?.fields ?? []) {
    const entry = (result[f.fullname] ??= {
      type: f.fieldtype,
      value: stateText(f.value),
      appearanceStates: [],
    });
    if (f.fieldtype === '/Btn')
      entry.appearanceStates.push(stateText(f.annotation?.appearancestate));
  }
  return result;
}

interface QpdfOutline {
  title: string;
  kids?: QpdfOutline[];
}

/** Bookmark titles, depth first, read with `qpdf --json --json-key=outlines`. */
export async function pdfOutline(bytes: Uint8Array): Promise<string[]> {
  const json = await withPdfFile(bytes, async (path) => {
    const { stdout } = await run('qpdf', ['--json=2', '--json-key=outlines', path]);
    return JSON.parse(stdout) as { outlines?: QpdfOutline[] };
  });
  const titles: string[] = [];
  const walk = (items: QpdfOutline[]) => {
    for (const item of items) {
      titles.push(item.title);
      walk(item.kids ?? []);
    }
  };
  walk(json.outlines ?? []);
  return titles;
}

/** `pdfinfo` output as key to value (Title, Author, Producer, Pages, ...). */
export async function pdfInfo(bytes: Uint8Array): Promise<Record<string, string>> {
  const stdout = await withPdfFile(bytes, async (path) => {
    const { stdout: out } = await run('pdfinfo', ['-enc', 'UTF-8', path]);
    return out;
  });
  const info: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) info[match[1].trim()] = match[2].trim();
  }
  return info;
}
