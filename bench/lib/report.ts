import type { MachineInfo } from './machine';
import type { Summary } from './stats';

export type MeasurementId =
  | 'dv100-ours'
  | 'dv100-ours-fresh'
  | 'dv100-ours-flat'
  | 'dv100-pdflib'
  | 'dv100-pdflib-short'
  | 'dv100-pdftk'
  | 'packet-ca'
  | 'packet-ca-pdf'
  | 'docx-cold-soffice'
  | 'docx-converter-batch'
  | 'docx-warm-office';

export interface MeasurementResult {
  id: MeasurementId;
  title: string;
  role: 'ours' | 'peer';
  status: 'ok' | 'not installed' | 'skipped' | 'failed';
  /** Milliseconds per timed repetition (a form, a packet, a batch). */
  summary?: Summary;
  /** Milliseconds per document, for batches. */
  perDocument?: Summary;
  /** Peak resident memory of the Node process that ran the measurement. */
  peakRssMb?: number;
  /** Peak resident memory of the external tool (pdftk, soffice), from GNU time. */
  toolPeakRssMb?: number;
  verified: boolean;
  verification: string;
  notes: string[];
}

export interface BenchReport {
  mode: 'full' | 'smoke';
  startedAt: string;
  config: Record<string, number>;
  machine: MachineInfo;
  versions: Record<string, string>;
  results: MeasurementResult[];
}

interface Ratio {
  what: string;
  target: string;
  value?: number;
  met?: boolean;
}

const ms = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(1));
const mb = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(0));

function median(r: MeasurementResult | undefined, perDocument = false): number | undefined {
  if (!r || r.status !== 'ok') return undefined;
  return (perDocument ? r.perDocument : r.summary)?.median;
}

export function ratios(report: BenchReport): Ratio[] {
  const by = (id: MeasurementId) => report.results.find((r) => r.id === id);
  const ours = median(by('dv100-ours'));
  const fresh = median(by('dv100-ours-fresh'));
  const div = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? undefined : a / b;
  const atLeast = (v: number | undefined, t: number) => (v === undefined ? undefined : v >= t);
  const atMost = (v: number | undefined, t: number) => (v === undefined ? undefined : v <= t);
  const pdftk = div(median(by('dv100-pdftk')), ours);
  const pdflib = div(median(by('dv100-pdflib')), ours);
  const pdftkFresh = div(median(by('dv100-pdftk')), fresh);
  const pdflibFresh = div(median(by('dv100-pdflib')), fresh);
  const pdflibShort = div(median(by('dv100-pdflib-short')), ours);
  const flat = div(median(by('dv100-ours-flat')), ours);
  const packetPdf = div(median(by('packet-ca-pdf')), ours);
  const packet = div(median(by('packet-ca')), ours);
  const docx = div(median(by('docx-cold-soffice')), median(by('docx-converter-batch'), true));
  const warm = div(median(by('docx-cold-soffice')), median(by('docx-warm-office')));
  return [
    {
      what: 'pdftk fill_form / our DV-100 fill',
      target: '≥ 40',
      value: pdftk,
      met: atLeast(pdftk, 40),
    },
    {
      what: 'plain pdf-lib fill / our DV-100 fill',
      target: '≥ 8',
      value: pdflib,
      met: atLeast(pdflib, 8),
    },
    {
      what: 'pdftk fill_form / our DV-100 fill, every word new',
      target: '≥ 40 (stricter reading)',
      value: pdftkFresh,
      met: atLeast(pdftkFresh, 40),
    },
    {
      what: 'plain pdf-lib fill / our DV-100 fill, every word new',
      target: '≥ 8 (stricter reading)',
      value: pdflibFresh,
      met: atLeast(pdflibFresh, 8),
    },
    {
      what: 'plain pdf-lib, texts cut to 200 chars / our DV-100 fill (full texts)',
      target: '≥ 8 (ordinary values)',
      value: pdflibShort,
      met: atLeast(pdflibShort, 8),
    },
    {
      what: 'our fill + flattened copy / our DV-100 fill',
      target: 'informational',
      value: flat,
      met: undefined,
    },
    {
      what: 'California packet without the DOCX conversion / our DV-100 fill',
      target: '≤ 4',
      value: packetPdf,
      met: atMost(packetPdf, 4),
    },
    {
      what: 'California packet with LibreOffice / our DV-100 fill',
      target: '≤ 4',
      value: packet,
      met: atMost(packet, 4),
    },
    {
      what: 'cold soffice per document / converter per document (cold batch)',
      target: 'informational',
      value: docx,
      met: undefined,
    },
    {
      what: 'cold soffice per document / warm office per document',
      target: 'informational',
      value: warm,
      met: undefined,
    },
  ];
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [
    `# Benchmark results (${report.mode})`,
    '',
    `${report.startedAt}; ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}; ` +
      `load average ${m.loadAverageBefore.join(' ')} before, ${m.loadAverageAfter.join(' ')} after.`,
    '',
    `Versions: ${Object.entries(report.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}.`,
    '',
    `Repetitions: fills, the warm office and the packet without LibreOffice ${report.config.warmup} warm-up + ${report.config.reps} timed; ` +
      `pdftk, the packet with LibreOffice and cold LibreOffice ${report.config.slowWarmup} warm-up + ${report.config.slowReps} timed.`,
    '',
    '| Measurement | Status | n | Median ms | p95 ms | Min ms | Max ms | Per doc (median) ms | Node peak RSS MB | Tool peak RSS MB | Verified |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: | --: | --- |',
  ];
  for (const r of report.results) {
    const s = r.summary;
    lines.push(
      `| ${r.title} (${r.role}) | ${r.status} | ${s?.n ?? '–'} | ${ms(s?.median)} | ${ms(s?.p95)} | ` +
        `${ms(s?.min)} | ${ms(s?.max)} | ${ms(r.perDocument?.median)} | ${mb(r.peakRssMb)} | ` +
        `${mb(r.toolPeakRssMb)} | ${r.verified ? 'true' : 'false'} |`,
    );
  }
  lines.push(
    '',
    '| Ratio (medians, same run) | Target | Measured | Met |',
    '| --- | --- | --: | --- |',
  );
  for (const r of ratios(report)) {
    const met = r.met === undefined ? '–' : r.met ? 'yes' : 'no';
    lines.push(
      `| ${r.what} | ${r.target} | ${r.value === undefined ? '–' : `${r.value.toFixed(2)}x`} | ${met} |`,
    );
  }
  lines.push('', 'Notes:', '');
  for (const r of report.results) {
    lines.push(`- ${r.title}: ${[...r.notes, `verification: ${r.verification}`].join('; ')}.`);
  }
  lines.push('');
  return lines.join('\n');
}
