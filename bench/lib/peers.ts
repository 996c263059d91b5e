import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fontkit from '@cantoo/fontkit';
import { PDFCheckBox, PDFDocument, PDFDropdown, PDFField, PDFTextField } from '@cantoo/pdf-lib';
import type { FieldValue } from '../../src/packs/form-mapping';

/** The peers the engine is compared with: plain pdf-lib, pdftk and a cold LibreOffice. */

export function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find((p) => existsSync(p));
}

const GNU_TIME = '/usr/bin/time';

export interface ToolRun {
  stdout: Buffer;
  /** Peak resident memory of the tool in KB, from GNU time, when it is installed. */
  peakRssKb?: number;
}

/** Runs a tool, through GNU time when present so its peak memory is known. */
export function runTool(
  binary: string,
  args: string[],
  options: { cwd?: string; timeoutMs: number },
): Promise<ToolRun> {
  const timed = existsSync(GNU_TIME);
  const dir = mkdtempSync(join(tmpdir(), 'bench-tool-'));
  const rssFile = join(dir, 'rss');
  const [cmd, argv] = timed
    ? [GNU_TIME, ['-f', '%M', '-o', rssFile, binary, ...args]]
    : [binary, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      let peakRssKb: number | undefined;
      if (timed && existsSync(rssFile)) {
        const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
        const kb = Number(last);
        if (Number.isFinite(kb) && kb > 0) peakRssKb = kb;
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) {
        const tail = Buffer.concat(err).toString('utf8').slice(-500);
        reject(new Error(`${binary} exited with ${String(code)}: ${tail}`));
        return;
      }
      resolve({ stdout: Buffer.concat(out), peakRssKb });
    });
  });
}

/** Latin-1 only: diacritics dropped, đ as d, anything else outside Latin-1 as `?`. */
export function foldToLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\n\u0020-\u007e\u00a0-\u00ff]/gu, '?');
}

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * XFDF for `pdftk fill_form`: every value as flat, fully qualified field names; ticked boxes by
 * their on-state (`onStates`), clear boxes as `Off`; text folded to Latin-1 (see foldToLatin).
 */
export function xfdfFor(values: FieldValue[], onStates: Map<string, string>): string {
  const fields = values.map((v) => {
    let value: string;
    if (v.kind === 'text') value = foldToLatin(v.text);
    else if (v.kind === 'checkbox') value = v.checked ? (onStates.get(v.field) ?? 'On') : 'Off';
    else value = v.option;
    return `  <field name="${xmlEscape(v.field)}"><value>${xmlEscape(value)}</value></field>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">',
    '<fields>',
    ...fields,
    '</fields>',
    '</xfdf>',
    '',
  ].join('\n');
}

/** Each checkbox's first on-state, read once from the template (not timed). */
export async function checkboxOnStates(template: Uint8Array): Promise<Map<string, string>> {
  const doc = await PDFDocument.load(template);
  const states = new Map<string, string>();
  for (const field of doc.getForm().getFields()) {
    if (!(field instanceof PDFCheckBox)) continue;
    const on = field.acroField
      .getWidgets()
      .map((w) => w.getOnValue()?.decodeText())
      .find((s) => s !== undefined);
    if (on) states.set(field.getName(), on);
  }
  return states;
}

/** Text fields' MaxLen, read once from the template: plain pdf-lib refuses longer text. */
export async function maxLengths(template: Uint8Array): Promise<Map<string, number>> {
  const doc = await PDFDocument.load(template);
  const lengths = new Map<string, number>();
  for (const field of doc.getForm().getFields()) {
    if (field instanceof PDFTextField) {
      const max = field.getMaxLength();
      if (max !== undefined) lengths.set(field.getName(), max);
    }
  }
  return lengths;
}

/**
 * The plain pdf-lib way: load, getForm, set each value, regenerate every field's appearance
 * with one embedded Noto Sans (subset), save. One name map up front rather than a
 * `getTextField(name)` walk per value, so the peer is not slowed by our choice of calls.
 */
export async function plainPdfLibFill(
  template: Uint8Array,
  values: FieldValue[],
  noto: Uint8Array,
  lengths: Map<string, number>,
  /** Font size for auto-sized (size 0) multiline fields; undefined keeps pdf-lib's search. */
  multilineSize?: number,
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(template);
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(noto, { subset: true });
  const form = doc.getForm();
  const fields = new Map<string, PDFField>(form.getFields().map((f) => [f.getName(), f]));
  for (const v of values) {
    const field = fields.get(v.field);
    if (v.kind === 'text' && field instanceof PDFTextField) {
      field.setText(truncate(v.text, lengths.get(v.field)));
      if (multilineSize !== undefined && field.isMultiline() && autoSized(field)) {
        field.setFontSize(multilineSize);
      }
    } else if (v.kind === 'checkbox' && field instanceof PDFCheckBox) {
      if (v.checked) field.check();
      else field.uncheck();
    } else if (v.kind === 'choice' && field instanceof PDFDropdown) {
      field.select(v.option);
    } else {
      throw new Error(`plain pdf-lib peer cannot set ${v.kind} on ${v.field}`);
    }
  }
  form.updateFieldAppearances(font);
  return doc.save();
}

/** A `/DA` asking for size 0: the viewer (here pdf-lib) picks the size that fits. */
function autoSized(field: PDFTextField): boolean {
  const da = field.acroField.getDefaultAppearance() ?? '';
  return /\b0(\.0+)?\s+Tf\b/.test(da);
}

export function truncate(text: string, max: number | undefined): string {
  return max === undefined ? text : [...text].slice(0, max).join('');
}

/** One cold `soffice --headless --convert-to pdf` of one file, in a fresh profile. */
export async function coldSoffice(
  binary: string,
  docx: string,
): Promise<{ pdf: Buffer; peakRssKb?: number }> {
  const work = mkdtempSync(join(tmpdir(), 'bench-soffice-'));
  try {
    const profile = pathToFileURL(join(work, 'profile')).href;
    const outDir = join(work, 'out');
    const run = await runTool(
      binary,
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        docx,
      ],
      { cwd: work, timeoutMs: 120_000 },
    );
    const name = docx.replace(/^.*\//, '').replace(/\.docx$/, '.pdf');
    return { pdf: readFileSync(join(outDir, name)), peakRssKb: run.peakRssKb };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The sum of the peak resident memory (VmHWM) of a process group's live members and of the
 * `extra` processes, in KB, on Linux: an upper bound of their joint peak. Undefined elsewhere.
 */
export function peakRssOfProcessesKb(pgid: number, extra: number[] = []): number | undefined {
  if (!existsSync('/proc/self/status')) return undefined;
  const pids = new Set(extra);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.add(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (kb) total += Number(kb[1]);
    } catch {
      // exited meanwhile
    }
  }
  return total > 0 ? total : undefined;
}
