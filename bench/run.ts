import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadAverage, machineInfo } from './lib/machine';
import { dirname, join } from 'node:path';
import { parseCaseFacts } from '../src/case-facts/parse-case-facts';
import { projectRoot } from '../src/config/project-root';
import { installForms } from '../src/forms/install-forms';
import { PacketBuilder } from '../src/packets/packet-builder';
import { installedFormPath, LoadedPack, loadPack } from '../src/packs/pack-loader';
import type { FieldValue } from '../src/packs/form-mapping';
import type { PackManifest } from '../src/packs/pack-manifest';
import { resolveFormMapping } from '../src/packs/resolve-form-mapping';
import { DocxToPdfConverter } from '../src/rendering/convert/docx-to-pdf';
import { findPython } from '../src/rendering/convert/warm-office';
import { renderDocx } from '../src/rendering/docx/docx-renderer';
import { cleanText } from '../src/rendering/pdf/font-library';
import { fillForm } from '../src/rendering/pdf/pdf-form-filler';
import { buildCaseViewModel, CaseViewModel } from '../src/view-models/case-view-model';
import {
  checkboxOnStates,
  coldSoffice,
  foldToLatin,
  maxLengths,
  onPath,
  peakRssOfProcessesKb,
  plainPdfLibFill,
  runTool,
  truncate,
  xfdfFor,
} from './lib/peers';
import { renderMarkdown, BenchReport, MeasurementResult, MeasurementId } from './lib/report';
import { summarize } from './lib/stats';
import {
  assertPdf,
  collapse,
  compareFields,
  Expected,
  fieldValues,
  pageCount,
  pdfText,
  qpdfClean,
} from './lib/verify';

/**
 * `npm run bench` (and `npm run bench:smoke`): prepares inputs from the packs and the shared
 * court forms, runs each measurement in its own warm Node process (so its peak RSS is its own),
 * reads every timed output back with qpdf and pdftotext, and writes JSON and Markdown.
 * `-- --only id,id` runs just those measurements and prints their table without writing it
 * (a partial run must not replace the full one in bench/results).
 */

interface Config {
  smoke: boolean;
  warmup: number;
  reps: number;
  /** Slower measurements (pdftk, LibreOffice, whole packets). */
  slowWarmup: number;
  slowReps: number;
  /** Documents per LibreOffice batch for the converter measurement. */
  batchSize: number;
}

const FULL: Config = {
  smoke: false,
  warmup: 5,
  reps: 30,
  slowWarmup: 1,
  slowReps: 10,
  batchSize: 5,
};
const SMOKE: Config = { smoke: true, warmup: 1, reps: 2, slowWarmup: 1, slowReps: 2, batchSize: 2 };

const ORDER: MeasurementId[] = [
  'dv100-ours',
  'dv100-ours-fresh',
  'dv100-ours-flat',
  'dv100-pdflib',
  'dv100-pdflib-short',
  'dv100-pdftk',
  'packet-ca',
  'packet-ca-pdf',
  'docx-cold-soffice',
  'docx-converter-batch',
  'docx-warm-office',
];

const ROOT = projectRoot(__dirname);
const SMOKE_TEXT = 200;
const COURT_FORMS_DIR = join(ROOT, '..', 'shared', 'court-forms');
const CA_DIR = join(ROOT, 'templates', 'ca-dv');
const DV100 = 'dv-100';
const NOTO = join(
  dirname(require.resolve('@expo-google-fonts/noto-sans/package.json')),
  '400Regular/NotoSans_400Regular.ttf',
);

// ---------------------------------------------------------------------------------------------
// Shared inputs (prepared once by the parent; each child re-reads them from the work folder)

interface Inputs {
  pack: LoadedPack;
  model: CaseViewModel;
  facts: ReturnType<typeof parseCaseFacts>;
  template: Buffer;
  /** The installed form's SHA-256: the key under which the engine keeps it parsed. */
  templateSha256: string | undefined;
  values: FieldValue[];
  petitioner: string;
}

function readInputs(work: string): Inputs {
  const pack = loadPack(CA_DIR, join(work, 'forms'));
  if (pack.missingForms.length > 0)
    throw new Error('ca-dv forms are not installed in the work folder');
  const raw = JSON.parse(
    readFileSync(join(ROOT, 'test', 'fixtures', 'cases', 'maximal.json'), 'utf8'),
  ) as unknown;
  const facts = parseCaseFacts(raw);
  const model = buildCaseViewModel(facts);
  const doc = pack.documents.find((d) => d.def.id === DV100);
  if (!doc?.bytes || !doc.mapping) throw new Error('dv-100 is not loaded');
  return {
    pack,
    model,
    facts,
    template: doc.bytes,
    templateSha256: doc.sha256,
    values: resolveFormMapping(doc.mapping, model),
    petitioner: model.petitioner.fullName,
  };
}

async function prepare(work: string, config: Config): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(CA_DIR, 'manifest.json'), 'utf8')) as PackManifest;
  const report = await installForms({
    source: COURT_FORMS_DIR,
    formsDir: join(work, 'forms'),
    manifests: [manifest],
  });
  if (report.failed.length > 0) {
    throw new Error(`installing forms failed: ${report.failed.map((f) => f.message).join('; ')}`);
  }
  const inputs = readInputs(work);
  const onStates = await checkboxOnStates(inputs.template);
  writeFileSync(join(work, 'dv-100.xfdf'), xfdfFor(inputs.values, onStates));
  const petition = readFileSync(join(ROOT, 'templates', 'generic-us', 'petition.docx'));
  writeFileSync(join(work, 'petition.docx'), renderDocx(petition, inputs.model));
  writeFileSync(join(work, 'config.json'), JSON.stringify(config));
}

// ---------------------------------------------------------------------------------------------
// The child: one measurement, warm-up then repetitions, outputs written to disk untimed

interface Timed {
  samples: number[];
  /** Every timed output, on disk, for verification after the timing. */
  outputs: string[][];
  toolPeakRssKb?: number;
}

async function timeLoop(
  id: string,
  work: string,
  warmup: number,
  reps: number,
  once: () => Promise<{ files: Uint8Array[]; toolRssKb?: number }>,
): Promise<Timed> {
  const outDir = join(work, 'out', id);
  mkdirSync(outDir, { recursive: true });
  const samples: number[] = [];
  const outputs: string[][] = [];
  let toolPeakRssKb: number | undefined;
  for (let i = 0; i < warmup + reps; i++) {
    const started = performance.now();
    const result = await once();
    const elapsed = performance.now() - started;
    if (result.toolRssKb !== undefined) {
      toolPeakRssKb = Math.max(toolPeakRssKb ?? 0, result.toolRssKb);
    }
    if (i < warmup) continue;
    samples.push(elapsed);
    outputs.push(
      result.files.map((bytes, j) => {
        const path = join(outDir, `${samples.length}-${j}.pdf`);
        writeFileSync(path, bytes);
        return path;
      }),
    );
  }
  return { samples, outputs, toolPeakRssKb };
}

function expectedFor(
  values: FieldValue[],
  text: (v: Extract<FieldValue, { kind: 'text' }>) => string,
): Expected {
  const expected: Expected = new Map();
  for (const v of values) {
    if (v.kind === 'text') expected.set(v.field, { kind: 'text', text: text(v) });
    else if (v.kind === 'checkbox')
      expected.set(v.field, { kind: 'checkbox', text: v.checked ? 'on' : 'off' });
    else expected.set(v.field, { kind: 'choice', text: v.option });
  }
  return expected;
}

/** What our engine writes: the overflow label where a text went to the attachment. */
function expectedOurs(values: FieldValue[], overflowed: ReadonlySet<string>): Expected {
  return expectedFor(values, (v) =>
    overflowed.has(v.field) && v.overflow ? v.overflow.label : cleanText(v.text),
  );
}

/** The fields whose text our engine moves to the attachment, from one untimed fill. */
async function overflowedFields(inputs: Inputs): Promise<Set<string>> {
  const { template, values, templateSha256 } = inputs;
  const reference = await fillForm(template, values, { flatten: false, templateSha256 });
  return new Set(reference.overflows.map((o) => o.field));
}

/** Every output: all fields via qpdf, the petitioner's name via pdftotext. Throws on a mismatch. */
async function verifyForms(paths: string[], expected: Expected, name: string): Promise<string> {
  let fields = 0;
  for (const path of paths) {
    await assertPdf(path);
    const check = compareFields(expected, await fieldValues(path));
    if (check.mismatches.length > 0) {
      throw new Error(
        `${path}: ${check.mismatches.length} field(s) differ: ${check.mismatches.slice(0, 5).join('; ')}`,
      );
    }
    fields = check.checked;
    await verifyText(path, name);
  }
  return `${paths.length} output(s): ${fields} field values each (qpdf) and "${name}" (pdftotext)`;
}

async function verifyText(path: string, name: string): Promise<void> {
  const text = await pdfText(path);
  if (!text.includes(collapse(name))) throw new Error(`${path}: pdftotext does not show "${name}"`);
}

type Measured = Omit<MeasurementResult, 'id' | 'title' | 'role'>;

async function measure(id: MeasurementId, work: string, config: Config): Promise<Measured> {
  const inputs = readInputs(work);
  const { template, values, petitioner, templateSha256 } = inputs;
  switch (id) {
    case 'dv100-ours': {
      const overflows = new Set<string>();
      const timed = await timeLoop(id, work, config.warmup, config.reps, async () => {
        const r = await fillForm(template, values, { flatten: false, templateSha256 });
        for (const o of r.overflows) overflows.add(o.field);
        return { files: [r.bytes] };
      });
      const rss = peakRssKb();
      const expected = expectedOurs(values, overflows);
      const verification = await verifyForms(timed.outputs.flat(), expected, petitioner);
      return done(timed, rss, verification, [
        `${values.length} values, ${overflows.size} overflowing to the attachment (label in the field)`,
      ]);
    }
    case 'dv100-ours-fresh': {
      // Each repetition gives every word of the long texts a new ending, so the shaping cache
      // has seen none of them: the cost of a case whose narratives are all new words.
      const calls: { values: FieldValue[]; overflows: Set<string> }[] = [];
      let call = 0;
      const timed = await timeLoop(id, work, config.warmup, config.reps, async () => {
        const fresh = values.map((v) =>
          v.kind === 'text' && v.overflow ? { ...v, text: freshWords(v.text, call) } : v,
        );
        call += 1;
        const r = await fillForm(template, fresh, { flatten: false, templateSha256 });
        calls.push({ values: fresh, overflows: new Set(r.overflows.map((o) => o.field)) });
        return { files: [r.bytes] };
      });
      const rss = peakRssKb();
      const timedCalls = calls.slice(-timed.outputs.length);
      let verification = '';
      for (const [i, output] of timed.outputs.entries()) {
        const { values: used, overflows } = timedCalls[i];
        const expected = expectedOurs(used, overflows);
        verification = await verifyForms(output, expected, petitioner);
      }
      return done(
        timed,
        rss,
        `${timed.outputs.length} output(s), each against its own values: ${verification.replace(/^1 output\(s\): /, '')}`,
        [
          'as the row above, but every word of the texts that may overflow (the narratives) gets a new two-letter ending each repetition, so none of them is in the shaping cache',
        ],
      );
    }
    case 'dv100-ours-flat': {
      const overflows = new Set<string>();
      const timed = await timeLoop(id, work, config.warmup, config.reps, async () => {
        const r = await fillForm(template, values, {
          flatten: false,
          alsoFlat: true,
          templateSha256,
        });
        for (const o of r.overflows) overflows.add(o.field);
        return { files: [r.bytes, r.flatBytes ?? new Uint8Array()] };
      });
      const rss = peakRssKb();
      const expected = expectedOurs(values, overflows);
      const verification = await verifyForms(
        timed.outputs.map((o) => o[0]),
        expected,
        petitioner,
      );
      for (const o of timed.outputs) {
        const flatFields = await fieldValues(o[1]);
        if (flatFields.size > 0) throw new Error(`${o[1]}: the flattened copy still has fields`);
        await verifyText(o[1], petitioner);
      }
      return done(
        timed,
        rss,
        `live: ${verification}; flat: no fields and "${petitioner}" (pdftotext)`,
        [
          '`fillForm(..., { flatten: false, alsoFlat: true })`: the live form and the flattened copy a packet merges',
        ],
      );
    }
    case 'dv100-pdflib': {
      // pdf-lib lays out a long multiline text in about a minute (it grows each line a word at a
      // time and re-measures it), so the peer gets 1 warm-up-free pair of timed runs in a full
      // run, and in smoke mode every text cut to 200 characters.
      const [warmup, reps] = config.smoke ? [config.warmup, config.reps] : [0, 2];
      const peer = await measurePdfLib(id, work, inputs, warmup, reps, config.smoke);
      return done(peer.timed, peer.rss, peer.verification, [
        'one Noto Sans (Latin, Vietnamese, Cyrillic) subset for every field: CJK and Arabic draw as .notdef',
        'text cut at MaxLen where the form sets one (pdf-lib refuses longer text)',
        `the ${peer.overflowCount} narrative(s) our engine moves to the attachment get the same label here`,
        config.smoke
          ? `smoke: every text cut to ${SMOKE_TEXT} characters, so the numbers are not comparable`
          : `pdf-lib's multiline layout takes about a minute per long narrative: ${warmup} warm-up, ${reps} timed`,
      ]);
    }
    case 'dv100-pdflib-short': {
      const peer = await measurePdfLib(id, work, inputs, config.warmup, config.reps, true);
      return done(peer.timed, peer.rss, peer.verification, [
        `as the plain pdf-lib row, but every text cut to ${SMOKE_TEXT} characters: pdf-lib on ordinary values, without its slow multiline layout`,
      ]);
    }
    case 'dv100-pdftk': {
      const pdftk = onPath('pdftk');
      if (!pdftk)
        return notInstalled('pdftk is not installed (Debian: apt-get install pdftk-java)');
      const form = installedFormPath(join(work, 'forms'), 'ca-dv', 'dv-100.pdf');
      const xfdf = join(work, 'dv-100.xfdf');
      const timed = await timeLoop(id, work, config.slowWarmup, config.slowReps, async () => {
        const r = await runTool(pdftk, [form, 'fill_form', xfdf, 'output', '-'], {
          timeoutMs: 120_000,
        });
        return { files: [r.stdout], toolRssKb: r.peakRssKb };
      });
      const rss = peakRssKb();
      const expected = expectedFor(values, (v) => foldToLatin(v.text));
      const verification = await verifyForms(
        timed.outputs.flat(),
        expected,
        foldToLatin(petitioner),
      );
      return done(timed, rss, verification, [
        'a new Java process per form (`pdftk <prepared dv-100> fill_form <xfdf> output -`), as the tool is used',
        'values folded to Latin-1 (Nguyễn -> Nguyen, CJK/Arabic/Cyrillic -> ?): pdftk draws with the form fonts',
      ]);
    }
    case 'packet-ca': {
      const converter = new DocxToPdfConverter();
      const notes: string[] = [];
      if (!converter.available())
        notes.push('LibreOffice not installed: packet built without merged bundles');
      return measurePacket(
        id,
        work,
        [config.slowWarmup, config.slowReps],
        inputs,
        converter,
        notes,
        'DOCX via LibreOffice (one cold process per packet)',
      );
    }
    case 'packet-ca-pdf': {
      const real = new DocxToPdfConverter();
      if (!real.available()) return notInstalled('LibreOffice is not installed');
      // The packet's DOCX converted once, untimed; the timed packets take those PDFs.
      const converted = new Map<string, Buffer>();
      await new PacketBuilder(new RecordingConverter(real, converted)).build(
        inputs.pack,
        inputs.facts,
      );
      // Without LibreOffice a packet takes tens of milliseconds: timed as warm as the fills.
      return measurePacket(
        id,
        work,
        [config.warmup, config.reps],
        inputs,
        new PreConverted(converted),
        [],
        'the DOCX as PDF converted once before timing (the issue lists the packet without it)',
      );
    }
    case 'docx-cold-soffice': {
      const soffice = onPath('soffice') ?? onPath('libreoffice');
      if (!soffice) return notInstalled('LibreOffice is not installed');
      const docx = join(work, 'petition.docx');
      const timed = await timeLoop(id, work, config.slowWarmup, config.slowReps, async () => {
        const r = await coldSoffice(soffice, docx);
        return { files: [r.pdf], toolRssKb: r.peakRssKb };
      });
      const rss = peakRssKb();
      for (const o of timed.outputs.flat()) await verifyText(o, petitioner);
      return done(timed, rss, `${timed.outputs.length} PDF(s) show "${petitioner}" (pdftotext)`, [
        'generic petition rendered for the maximal case; one `soffice --headless --convert-to pdf` per document, fresh profile',
      ]);
    }
    case 'docx-converter-batch': {
      const converter = new DocxToPdfConverter();
      if (!converter.available()) return notInstalled('LibreOffice is not installed');
      const bytes = readFileSync(join(work, 'petition.docx'));
      const files = Array.from({ length: config.batchSize }, (_, i) => ({
        name: `petition-${i}.docx`,
        bytes,
      }));
      const timed = await timeLoop(id, work, config.slowWarmup, config.slowReps, async () => ({
        files: await converter.convert(files),
      }));
      const rss = peakRssKb();
      for (const o of timed.outputs.flat()) await verifyText(o, petitioner);
      const result = done(
        timed,
        rss,
        `${timed.outputs.flat().length} PDF(s) show "${petitioner}" (pdftotext)`,
        [
          `DocxToPdfConverter.convert of ${config.batchSize} petitions: one LibreOffice start per batch; per-document = batch / ${config.batchSize}`,
          'the converter in cold mode (OFFICE_MODE=cold, or no python3-uno); RSS is Node only',
        ],
      );
      result.perDocument = summarize(timed.samples.map((s) => s / config.batchSize));
      return result;
    }
    case 'docx-warm-office':
      return measureWarmOffice(id, work, config, petitioner);
  }
}

/**
 * One petition per `convert` call through the warm office, as a packet with one DOCX uses it:
 * the work folder, the numbered file, the conversion in the running LibreOffice, reading the PDF
 * back. The warm-up includes the office's start.
 */
async function measureWarmOffice(
  id: MeasurementId,
  work: string,
  config: Config,
  petitioner: string,
): Promise<Measured> {
  const soffice = onPath('soffice') ?? onPath('libreoffice');
  if (!soffice) return notInstalled('LibreOffice is not installed');
  if (!(await findPython(soffice))) {
    return notInstalled('python3-uno is not installed (Debian: apt-get install python3-uno)');
  }
  const converter = new DocxToPdfConverter(soffice, process.env, { mode: 'warm' });
  try {
    const bytes = readFileSync(join(work, 'petition.docx'));
    const timed = await timeLoop(id, work, config.warmup, config.reps, async () => ({
      files: await converter.convert([{ name: 'petition.docx', bytes }]),
    }));
    const office = converter.warmOffice();
    // High-water marks: read once, after the timing, from the office still running.
    const pids = office?.processIds();
    const officeRssKb = pids ? peakRssOfProcessesKb(pids.office, [pids.bridge]) : undefined;
    // A cold fallback would time the wrong thing.
    if (!office || /unavailable/.test(converter.message())) {
      throw new Error(`the warm office did not run: ${converter.message()}`);
    }
    const starts = office.starts();
    const rss = peakRssKb();
    for (const o of timed.outputs.flat()) await verifyText(o, petitioner);
    return done(
      { ...timed, toolPeakRssKb: officeRssKb },
      rss,
      `${timed.outputs.length} PDF(s) show "${petitioner}" (pdftotext)`,
      [
        `DocxToPdfConverter.convert of one petition per call, OFFICE_MODE=warm: one LibreOffice kept running and a Python bridge over a private pipe; ${config.warmup} warm-up (the first starts the office) + ${config.reps} timed`,
        `${starts} office start(s) over ${config.warmup + config.reps} documents`,
        'tool RSS: the peaks of the last office started (oosplash, soffice.bin) and its bridge, added',
      ],
    );
  } finally {
    await converter.close();
  }
}

/** Converts with LibreOffice and keeps each PDF by file name. */
class RecordingConverter extends DocxToPdfConverter {
  constructor(
    private readonly real: DocxToPdfConverter,
    private readonly store: Map<string, Buffer>,
  ) {
    super();
  }

  override available(): boolean {
    return this.real.available();
  }

  override async convert(files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> {
    const pdfs = await this.real.convert(files);
    files.forEach((f, i) => this.store.set(f.name, pdfs[i]));
    return pdfs;
  }
}

/** Hands back PDFs converted before timing, so a packet measures its PDF work alone. */
class PreConverted extends DocxToPdfConverter {
  constructor(private readonly store: Map<string, Buffer>) {
    super();
  }

  override available(): boolean {
    return true;
  }

  override convert(files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> {
    return Promise.resolve(
      files.map((f) => {
        const pdf = this.store.get(f.name);
        if (!pdf) throw new Error(`${f.name} was not converted before timing`);
        return pdf;
      }),
    );
  }
}

async function measurePacket(
  id: MeasurementId,
  work: string,
  [warmup, reps]: [number, number],
  inputs: Inputs,
  converter: DocxToPdfConverter,
  notes: string[],
  docxNote: string,
): Promise<Measured> {
  const { values, petitioner } = inputs;
  const builder = new PacketBuilder(converter);
  let bundleCount = 0;
  // Per packet: the files written, then which of them make up each bundle.
  const layouts: BundleLayout[][] = [];
  const timed = await timeLoop(id, work, warmup, reps, async () => {
    const packet = await builder.build(inputs.pack, inputs.facts);
    const live = packet.files.find((f) => /^\d+-dv-100\.pdf$/.test(f.name));
    if (!live) throw new Error('the packet has no DV-100');
    const pdfs = packet.files.filter((f) => f.mediaType === 'application/pdf');
    const files = [live, ...pdfs.filter((f) => f !== live)];
    const indexOf = (name: string) => files.findIndex((f) => f.name === name);
    const bundles = packet.manifest.bundles.flatMap((b) => {
      if (!b.file) return [];
      const members = packet.manifest.documents.filter((d) => b.documents.includes(d.id));
      const parts = members.flatMap((d) => d.files.map((f) => indexOf(f.name)));
      const converted = members.some((d) => d.kind === 'docx');
      return [{ file: indexOf(b.file.name), parts: parts.filter((i) => i >= 0), converted }];
    });
    bundleCount = bundles.length;
    layouts.push(bundles);
    return { files: files.map((f) => f.bytes) };
  });
  const rss = peakRssKb();
  const expected = expectedOurs(values, await overflowedFields(inputs));
  await verifyForms(
    timed.outputs.map((o) => o[0]),
    expected,
    petitioner,
  );
  const verifiedBundles = await verifyBundles(
    timed.outputs,
    layouts.slice(-timed.outputs.length),
    petitioner,
  );
  notes.push(
    `DV-100, DV-109, CLETS-001 (each filled live and flat), attachment pages, ${docxNote}, ${bundleCount} bundles merged and leak-checked`,
  );
  return done(
    timed,
    rss,
    `${timed.outputs.length} packet(s): the live DV-100's field values (qpdf); every bundle clean in qpdf --check, with the pages of its PDF parts (qpdf --show-npages), and "${petitioner}" in the court bundle (pdftotext); ${verifiedBundles}`,
    notes,
  );
}

interface BundleLayout {
  /** Index of the bundle among a packet's outputs, and of the PDF files of its documents. */
  file: number;
  parts: number[];
  /** A document of the bundle is a DOCX, whose PDF is merged but is not a file of the packet. */
  converted: boolean;
}

/**
 * Each bundle of each packet: clean in `qpdf --check`, with exactly the pages of the PDF files
 * of its documents (at least those when a DOCX was converted into it), and the petitioner's name
 * in the court bundle.
 */
async function verifyBundles(
  outputs: string[][],
  layouts: BundleLayout[][],
  petitioner: string,
): Promise<string> {
  let checked = 0;
  for (const [i, paths] of outputs.entries()) {
    for (const bundle of layouts[i]) {
      const path = paths[bundle.file];
      await qpdfClean(path);
      let parts = 0;
      for (const part of bundle.parts) parts += await pageCount(paths[part]);
      const pages = await pageCount(path);
      if (bundle.converted ? pages <= parts : pages !== parts) {
        throw new Error(`${path}: ${pages} pages, its PDF files have ${parts}`);
      }
      checked += 1;
    }
    const court = layouts[i][0];
    if (court) await verifyText(paths[court.file], petitioner);
  }
  return `${checked} bundle(s) checked`;
}

/**
 * Plain pdf-lib filling the same field contents our engine writes (a narrative that does not
 * fit gets the attachment label), optionally with every text cut to SMOKE_TEXT characters.
 */
async function measurePdfLib(
  id: MeasurementId,
  work: string,
  inputs: Inputs,
  warmup: number,
  reps: number,
  cut: boolean,
): Promise<{ timed: Timed; rss: number; verification: string; overflowCount: number }> {
  const { template, values, petitioner } = inputs;
  const noto = new Uint8Array(readFileSync(NOTO));
  const lengths = await maxLengths(template);
  const over = await overflowedFields(inputs);
  const peerValues = values.map((v) => {
    if (v.kind !== 'text') return v;
    const text = v.overflow && over.has(v.field) ? v.overflow.label : v.text;
    return { ...v, text: cut ? text.slice(0, SMOKE_TEXT) : text };
  });
  const timed = await timeLoop(id, work, warmup, reps, async () => ({
    files: [await plainPdfLibFill(template, peerValues, noto, lengths)],
  }));
  const rss = peakRssKb();
  const expected = expectedFor(peerValues, (v) => truncate(v.text, lengths.get(v.field)));
  const verification = await verifyForms(timed.outputs.flat(), expected, petitioner);
  return { timed, rss, verification, overflowCount: over.size };
}

/** A new two-letter ending on every Latin word, different for each `n` (up to 676). */
function freshWords(text: string, n: number): string {
  const ending = String.fromCharCode(97 + (n % 26), 97 + (Math.floor(n / 26) % 26));
  return text.replace(/[A-Za-z]+/g, (word) => `${word}${ending}`);
}

function peakRssKb(): number {
  return process.resourceUsage().maxRSS;
}

function done(timed: Timed, rssKb: number, verification: string, notes: string[]): Measured {
  return {
    status: 'ok',
    summary: summarize(timed.samples),
    peakRssMb: rssKb / 1024,
    toolPeakRssMb: timed.toolPeakRssKb === undefined ? undefined : timed.toolPeakRssKb / 1024,
    verified: true,
    verification,
    notes,
  };
}

function notInstalled(message: string): Measured {
  return { status: 'not installed', verified: false, verification: 'not run', notes: [message] };
}

async function child(id: MeasurementId, work: string): Promise<void> {
  const config = JSON.parse(readFileSync(join(work, 'config.json'), 'utf8')) as Config;
  const result = await measure(id, work, config);
  writeFileSync(join(work, `${id}.result.json`), JSON.stringify(result));
  rmSync(join(work, 'out', id), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// The parent

const TITLES: Record<MeasurementId, { title: string; role: MeasurementResult['role'] }> = {
  'dv100-ours': { title: 'DV-100 fill, maximal case (fillForm)', role: 'ours' },
  'dv100-ours-fresh': {
    title: 'DV-100 fill, maximal case, every narrative word new (fillForm)',
    role: 'ours',
  },
  'dv100-ours-flat': {
    title: 'DV-100 fill + flattened copy, maximal case (fillForm alsoFlat)',
    role: 'ours',
  },
  'dv100-pdflib': {
    title: 'DV-100 fill, plain pdf-lib + Noto Sans',
    role: 'peer',
  },
  'dv100-pdflib-short': {
    title: 'DV-100 fill, plain pdf-lib + Noto Sans, texts cut to 200 chars',
    role: 'peer',
  },
  'dv100-pdftk': { title: 'DV-100 fill, pdftk fill_form (XFDF)', role: 'peer' },
  'packet-ca': { title: 'California packet (PacketBuilder)', role: 'ours' },
  'packet-ca-pdf': {
    title: 'California packet, DOCX converted beforehand (PacketBuilder)',
    role: 'ours',
  },
  'docx-cold-soffice': { title: 'DOCX to PDF, cold soffice per document', role: 'peer' },
  'docx-converter-batch': { title: 'DOCX to PDF, DocxToPdfConverter batch', role: 'ours' },
  'docx-warm-office': {
    title: 'DOCX to PDF, DocxToPdfConverter warm office, per document',
    role: 'ours',
  },
};

function version(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0 && !r.stdout) return undefined;
  return (r.stdout || r.stderr)
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
}

function packageVersion(name: string): string {
  const path = join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function runChild(id: MeasurementId, work: string): MeasurementResult {
  const started = Date.now();
  process.stderr.write(`bench: ${id} ...`);
  const r = spawnSync(process.execPath, [__filename, '--child', id, '--work', work], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const resultFile = join(work, `${id}.result.json`);
  const meta = { id, ...TITLES[id] };
  process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0 || !existsSync(resultFile)) {
    return {
      ...meta,
      status: 'failed',
      verified: false,
      verification: 'failed',
      notes: [`the measurement process exited with ${String(r.status ?? r.signal)}`],
    };
  }
  return { ...meta, ...(JSON.parse(readFileSync(resultFile, 'utf8')) as Measured) };
}

async function parent(smoke: boolean, only: MeasurementId[] | undefined): Promise<number> {
  const config = smoke ? SMOKE : FULL;
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  try {
    const loadBefore = loadAverage();
    await prepare(work, config);
    const results = (only ?? ORDER).map((id) => runChild(id, work));
    const report: BenchReport = {
      mode: smoke ? 'smoke' : 'full',
      startedAt: new Date().toISOString(),
      config: {
        warmup: config.warmup,
        reps: config.reps,
        slowWarmup: config.slowWarmup,
        slowReps: config.slowReps,
        batchSize: config.batchSize,
      },
      machine: machineInfo(loadBefore, loadAverage()),
      versions: {
        '@cantoo/pdf-lib': packageVersion('@cantoo/pdf-lib'),
        docxtemplater: packageVersion('docxtemplater'),
        pdftk: onPath('pdftk') ? (version('pdftk', ['--version']) ?? 'unknown') : 'not installed',
        libreoffice: onPath('soffice')
          ? (version('soffice', ['--version']) ?? 'unknown')
          : 'not installed',
        qpdf: version('qpdf', ['--version']) ?? 'unknown',
        pdftotext: version('pdftotext', ['-v']) ?? 'unknown',
      },
      results,
    };
    const markdown = renderMarkdown(report);
    if (!only) {
      const resultsDir = join(ROOT, 'bench', 'results');
      mkdirSync(resultsDir, { recursive: true });
      const base = smoke ? 'smoke' : 'latest';
      writeFileSync(join(resultsDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(resultsDir, `${base}.md`), markdown);
    }
    process.stdout.write(markdown);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length > 0) {
      process.stderr.write(`bench: failed: ${failed.map((f) => f.id).join(', ')}\n`);
      return 1;
    }
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--child');
  if (at >= 0) {
    const id = args[at + 1] as MeasurementId;
    const work = args[args.indexOf('--work') + 1];
    if (!ORDER.includes(id) || !work) throw new Error('usage: --child <measurement> --work <dir>');
    await child(id, work);
    return;
  }
  process.exitCode = await parent(args.includes('--smoke'), selected(args));
}

/** `--only a,b`: the measurements named, in the harness's order. */
function selected(args: string[]): MeasurementId[] | undefined {
  const at = args.indexOf('--only');
  if (at < 0) return undefined;
  const names = (args[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(ORDER as string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes measurements from: ${ORDER.join(', ')}`);
  }
  return ORDER.filter((id) => names.includes(id));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
