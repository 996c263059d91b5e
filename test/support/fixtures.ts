import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FixtureName = 'minimal' | 'typical' | 'maximal';
export const FIXTURES: FixtureName[] = ['minimal', 'typical', 'maximal'];

/** A fresh copy of a fixture case, as plain JSON (what a client would send). */
export function fixture(name: FixtureName): Record<string, unknown> {
  const file = join(__dirname, '..', 'fixtures', 'cases', `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Absolute path of the shared court forms, which tests read in place and never copy. */
export const COURT_FORMS_DIR = join(__dirname, '..', '..', '..', 'shared', 'court-forms');
