import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { projectRoot } from '../config/project-root';

/**
 * The sample cases `npm run cli -- lint` checks bundled packs with, so an uploaded pack passes
 * exactly the lint a bundled one does. `typical` is the case a preview is rendered from unless
 * the pack brings its own samples.
 */
export const SAMPLES_DIR = join(projectRoot(), 'test', 'fixtures', 'cases');
const PREVIEW_SAMPLE = 'typical.json';

export interface SampleCase {
  name: string;
  facts: CaseFacts;
}

let cached: SampleCase[] | undefined;

/** Empty when the fixtures are not deployed; the pack's own samples then carry the lint. */
export function bundledSamples(): SampleCase[] {
  if (cached) return cached;
  cached = existsSync(SAMPLES_DIR)
    ? readdirSync(SAMPLES_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({
          name: f,
          facts: parseCaseFacts(JSON.parse(readFileSync(join(SAMPLES_DIR, f), 'utf8')) as unknown),
        }))
    : [];
  return cached;
}

/** The pack's first own sample, else the bundled typical case. */
export function previewSample(own: SampleCase[]): CaseFacts | undefined {
  return own[0]?.facts ?? bundledSamples().find((s) => s.name === PREVIEW_SAMPLE)?.facts;
}
