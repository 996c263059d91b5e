import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseCaseFacts } from '../src/case-facts/parse-case-facts';
import { projectRoot } from '../src/config/project-root';
import { installForms } from '../src/forms/install-forms';
import * as bundles from '../src/packets/bundles';
import { PacketBuilder } from '../src/packets/packet-builder';
import { loadPack } from '../src/packs/pack-loader';
import type { PackManifest } from '../src/packs/pack-manifest';
import { resolveFormMapping } from '../src/packs/resolve-form-mapping';
import { DocxToPdfConverter } from '../src/rendering/convert/docx-to-pdf';
import * as docx from '../src/rendering/docx/docx-renderer';
import * as attachments from '../src/rendering/pdf/attachment-pages';
import * as filler from '../src/rendering/pdf/pdf-form-filler';
import * as merge from '../src/rendering/pdf/pdf-merge';
import * as writtenPdf from '../src/rendering/pdf/written-pdf';
import * as checksums from '../src/common/sha256';
import { buildCaseViewModel } from '../src/view-models/case-view-model';

/**
 * Builds the California packet for the maximal case in a loop and prints where its time goes:
 * wall and CPU time of the whole packet, and the CPU time of the fills, the attachment pages,
 * the next-steps DOCX, the bundle merges, the release check and the checksums, each summed over
 * a packet, and the garbage collector's pauses on the main thread during it. Before each packet it fills DV-100 alone, as
 * the bench's fill row does, so the ratio the issue sets compares the two under the same load.
 * A tool for finding the slow part, not part of `npm run bench`.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench-build/bench/profile-packet.js
 *
 * PROFILE_N packets (12), PROFILE_CPU=<file> writes a V8 CPU profile of the packets after the
 * first two, PROFILE_WORK=<dir> reuses forms installed by an earlier run there. The next-steps
 * DOCX is handed back as a one-page PDF made beforehand, so LibreOffice is not needed or timed.
 */

const ROOT = projectRoot(__dirname);
const CA_DIR = join(ROOT, 'templates', 'ca-dv');

type Stage = 'fill' | 'attachment' | 'docx' | 'merge' | 'check' | 'checksum' | 'gc';
const spent: Record<Stage, number> = {
  fill: 0,
  attachment: 0,
  docx: 0,
  merge: 0,
  check: 0,
  checksum: 0,
  gc: 0,
};

/** Wraps an exported function, sync or async, so its time is added to `stage`. */
function timeExport<M extends object, K extends keyof M>(module: M, key: K, stage: Stage): void {
  const original = module[key];
  if (typeof original !== 'function') throw new Error(`${String(key)} is not a function`);
  const fn = original as (...args: unknown[]) => unknown;
  // CPU time, not wall time: on a shared machine the wall clock mostly measures the others.
  const wrapped = (...args: unknown[]): unknown => {
    const started = process.cpuUsage();
    const add = () => {
      const used = process.cpuUsage(started);
      spent[stage] += (used.user + used.system) / 1000;
    };
    const result = fn(...args);
    if (!(result instanceof Promise)) {
      add();
      return result;
    }
    return result.finally(add);
  };
  Object.assign(module, { [key]: wrapped });
}

/** Hands back the same small PDF for every DOCX: the packet's PDF work without LibreOffice. */
class StubConverter extends DocxToPdfConverter {
  constructor(private readonly pdf: Buffer) {
    super();
  }

  override available(): boolean {
    return true;
  }

  override convert(files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> {
    return Promise.resolve(files.map(() => this.pdf));
  }
}

async function main(): Promise<void> {
  const work = process.env.PROFILE_WORK || mkdtempSync(join(tmpdir(), 'prof-packet-'));
  const manifest = JSON.parse(readFileSync(join(CA_DIR, 'manifest.json'), 'utf8')) as PackManifest;
  if (!process.env.PROFILE_WORK) {
    await installForms({
      source: join(ROOT, '..', 'shared', 'court-forms'),
      formsDir: join(work, 'forms'),
      manifests: [manifest],
    });
  }
  const pack = loadPack(CA_DIR, join(work, 'forms'));
  const facts = parseCaseFacts(
    JSON.parse(
      readFileSync(join(ROOT, 'test', 'fixtures', 'cases', 'maximal.json'), 'utf8'),
    ) as unknown,
  );
  const stubPdf = Buffer.from(
    await merge.mergePdfs([
      {
        title: 'Next steps',
        bytes: await attachments.renderAttachmentPages(
          { court: 'Court', petitioner: 'P', respondent: 'R' },
          [{ heading: 'What happens next', text: 'Go to the hearing.' }],
        ),
      },
    ]),
  );
  timeExport(filler, 'fillForm', 'fill');
  timeExport(attachments, 'writeAttachmentPages', 'attachment');
  timeExport(merge, 'mergeWritten', 'merge');
  timeExport(bundles, 'checkBundleBeforeRelease', 'check');
  timeExport(docx, 'renderDocx', 'docx');
  timeExport(writtenPdf, 'sha256After', 'checksum');
  timeExport(checksums, 'sha256', 'checksum');
  const builder = new PacketBuilder(new StubConverter(stubPdf));
  const dv100 = pack.documents.find((d) => d.def.id === 'dv-100');
  if (!dv100?.bytes) throw new Error('DV-100 is not installed');
  const dv100Values = resolveFormMapping(
    dv100.mapping ?? { fields: {} },
    buildCaseViewModel(facts),
  );
  // The collector's pauses on the main thread, wherever they fall (allocation anywhere in a
  // packet pays), matched to packets by time once every entry has arrived.
  const pauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.push({ start: entry.startTime, duration: entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: [number, number][] = [];
  const n = Number(process.env.PROFILE_N ?? 12);
  const rows: (Record<Stage, number> & { total: number; cpu: number; dv100: number })[] = [];
  const session = new Session();
  const profilePath = process.env.PROFILE_CPU;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
  if (profilePath) session.connect();
  for (let i = 0; i < n; i++) {
    if (profilePath && i === 2) {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
    }
    const fillStarted = performance.now();
    await filler.fillForm(dv100.bytes, dv100Values, {
      flatten: false,
      templateSha256: dv100.sha256,
    });
    const dv100Ms = performance.now() - fillStarted;
    for (const stage of Object.keys(spent) as Stage[]) spent[stage] = 0;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await builder.build(pack, facts);
    const ended = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    windows.push([started, ended]);
    rows.push({
      ...spent,
      total: ended - started,
      cpu: (cpu.user + cpu.system) / 1000,
      dv100: dv100Ms,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  rows.forEach((row, i) => {
    const [from, to] = windows[i];
    for (const pause of pauses)
      if (pause.start >= from && pause.start < to) row.gc += pause.duration;
  });
  if (profilePath) {
    const result = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(profilePath, JSON.stringify(result.profile));
  }
  const timed = rows.slice(2);
  const median = (key: keyof (typeof rows)[number]) => {
    const sorted = timed.map((r) => r[key]).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)].toFixed(1);
  };
  const min = (key: keyof (typeof rows)[number]) =>
    Math.min(...timed.map((r) => r[key])).toFixed(1);
  process.stdout.write(`work ${work}; first packet ${rows[0].total.toFixed(1)} ms\n`);
  const keys = ['total', 'cpu', 'fill', 'attachment', 'docx', 'merge', 'check', 'checksum', 'gc'];
  for (const key of [...keys, 'dv100'] as (keyof (typeof rows)[number])[]) {
    process.stdout.write(`${key.padEnd(10)} median ${median(key)} min ${min(key)} ms\n`);
  }
  const ratio = Number(median('total')) / Number(median('dv100'));
  process.stdout.write(`packet / DV-100 fill alone (medians, wall): ${ratio.toFixed(2)}x\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
