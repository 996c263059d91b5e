import 'reflect-metadata';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { parseCaseFacts } from '../src/case-facts/parse-case-facts';
import { projectRoot } from '../src/config/project-root';
import { installForms } from '../src/forms/install-forms';
import { loadPack } from '../src/packs/pack-loader';
import type { PackManifest } from '../src/packs/pack-manifest';
import { resolveFormMapping } from '../src/packs/resolve-form-mapping';
import { fillForm } from '../src/rendering/pdf/pdf-form-filler';
import { buildCaseViewModel } from '../src/view-models/case-view-model';

/**
 * Fills one form of the ca-dv pack for the maximal case in a loop and prints wall and CPU time
 * medians: a tool for finding where a fill's time goes, not part of `npm run bench`.
 *
 *   npx tsc -p tsconfig.bench.json && node dist/bench-build/bench/profile-fill.js
 *
 * PROFILE_N fills (20), PROFILE_FORM (dv-100), PROFILE_FLAT=1 adds the flattened copy,
 * PROFILE_CPU=<file> writes a V8 CPU profile of the fills after the first five,
 * PROFILE_WORK=<dir> reuses forms installed by an earlier run there.
 */

const ROOT = projectRoot(__dirname);
const CA_DIR = join(ROOT, 'templates', 'ca-dv');

async function main(): Promise<void> {
  const work = process.env.PROFILE_WORK ?? mkdtempSync(join(tmpdir(), 'prof-'));
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
  const model = buildCaseViewModel(facts);
  const id = process.env.PROFILE_FORM ?? 'dv-100';
  const doc = pack.documents.find((d) => d.def.id === id);
  if (!doc?.bytes || !doc.mapping) throw new Error('not loaded');
  const values = resolveFormMapping(doc.mapping, model);
  const n = Number(process.env.PROFILE_N ?? 20);
  const flat = process.env.PROFILE_FLAT === '1';
  const times: number[] = [];
  const cpu: number[] = [];
  let out: Uint8Array = new Uint8Array();
  const session = new Session();
  const profilePath = process.env.PROFILE_CPU;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );
  if (profilePath) session.connect();
  for (let i = 0; i < n; i++) {
    if (profilePath && i === 5) {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
    }
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await fillForm(doc.bytes, values, {
      flatten: false,
      alsoFlat: flat,
      templateSha256: doc.sha256,
    });
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
    out = r.bytes;
  }
  if (profilePath) {
    const result = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(profilePath, JSON.stringify(result.profile));
  }
  writeFileSync(join(work, 'out.pdf'), out);
  const sorted = [...times].sort((a, b) => a - b);
  const cs = [...cpu].sort((a, b) => a - b);
  process.stdout.write(`cpu median ${cs[Math.floor(n / 2)].toFixed(1)} min ${cs[0].toFixed(1)}\n`);
  process.stdout.write(
    `work ${work}\nfirst ${times[0].toFixed(1)} median ${sorted[Math.floor(n / 2)].toFixed(1)} min ${sorted[0].toFixed(1)} size ${out.length} template ${doc.bytes.length}\n`,
  );
}
main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
