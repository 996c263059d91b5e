import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { FieldValue } from '../../src/packs/form-mapping';

/**
 * Reads a timed output back with tools that share no code with pdf-lib (qpdf, poppler), so a
 * fast wrong answer cannot count. Mirrors test/support/pdf-reading.ts, reading files in place.
 */

const run = promisify(execFile);
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

interface QpdfField {
  fullname: string;
  fieldtype: string;
  value: unknown;
}

/** Field name to `/V` as qpdf reports it (text without `u:`, button states as `/Name`). */
export async function fieldValues(path: string): Promise<Map<string, string>> {
  const { stdout } = await run('qpdf', ['--json=2', '--json-key=acroform', path], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const json = JSON.parse(stdout) as { acroform?: { fields?: QpdfField[] } };
  const values = new Map<string, string>();
  for (const f of json.acroform?.fields ?? []) {
    if (values.has(f.fullname)) continue;
    const v = f.value;
    values.set(
      f.fullname,
      typeof v === 'string' ? v.replace(/^u:/, '') : v === null || v === undefined ? '' : '',
    );
  }
  return values;
}

/** `pdftotext -layout` of the whole file, NFC, bidi marks removed, whitespace collapsed. */
export async function pdfText(path: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return collapse(stdout.normalize('NFC').replace(BIDI_CONTROLS, ''));
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n');
}

/** What a field should read back as; `undefined` skips a value the filler may render differently. */
export type Expected = Map<string, { kind: FieldValue['kind']; text: string }>;

export interface FieldCheck {
  checked: number;
  mismatches: string[];
}

/**
 * Compares every expected field: text exactly (NFC, line ends normalized), a ticked box to any
 * on-state, a clear box to `/Off` or nothing, a choice to its option.
 */
export function compareFields(expected: Expected, actual: Map<string, string>): FieldCheck {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [field, want] of expected) {
    checked += 1;
    const got = actual.get(field);
    if (got === undefined) {
      mismatches.push(`${field}: missing`);
      continue;
    }
    let ok: boolean;
    if (want.kind === 'checkbox') {
      const on = got !== '' && got !== '/Off';
      ok = want.text === 'on' ? on : !on;
    } else if (want.kind === 'choice') {
      ok = got.replace(/^\//, '') === want.text;
    } else {
      ok = normalizeText(got) === normalizeText(want.text);
    }
    if (!ok)
      mismatches.push(
        `${field}: expected ${JSON.stringify(want.text)}, got ${JSON.stringify(got)}`,
      );
  }
  return { checked, mismatches };
}

/** Fails unless the file starts like a PDF. */
export async function assertPdf(path: string): Promise<void> {
  const head = (await readFile(path)).subarray(0, 5).toString('latin1');
  if (head !== '%PDF-') throw new Error(`${path} is not a PDF`);
}

/**
 * `qpdf --check` of a file: fails on any error or warning, as a clerk's tools would complain.
 * qpdf exits 0 clean, 3 with warnings and 2 with errors.
 */
export async function qpdfClean(path: string): Promise<void> {
  const { stdout, stderr } = await run('qpdf', ['--check', path]).catch((e: unknown) => {
    throw new Error(`${path}: qpdf --check failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  const report = `${stdout}${stderr}`;
  if (!/No syntax or stream encoding errors found/.test(report) || /WARNING/.test(report)) {
    throw new Error(`${path}: qpdf --check is not clean: ${report.slice(0, 300)}`);
  }
}

/** Page count as qpdf reads it. */
export async function pageCount(path: string): Promise<number> {
  const { stdout } = await run('qpdf', ['--show-npages', path]);
  return Number(stdout.trim());
}
