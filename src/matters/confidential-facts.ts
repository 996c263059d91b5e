import type { CaseFacts } from '../case-facts/case-facts.dto';
import { Sensitivity, sensitivityOf } from '../confidentiality/sensitivity';
import type { ErrorDetail } from '../common/errors/error-code';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The facts without their court-confidential values (the petitioner's real address, safe phone,
 * safe email), and the paths that were removed. Staff see a matter this way unless they ask for
 * the confidential values, which is audited; the removed paths tell them something is there.
 */
export function withoutConfidential(facts: CaseFacts): { facts: CaseFacts; hidden: string[] } {
  const hidden: string[] = [];
  const strip = (value: Json, path: string): Json => {
    if (Array.isArray(value)) return value.map((v, i) => strip(v, join(path, String(i))));
    if (value === null || typeof value !== 'object') return value;
    const out: { [key: string]: Json } = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = join(path, key);
      if (sensitivityOf(childPath) === Sensitivity.CourtConfidential) {
        hidden.push(childPath);
        continue;
      }
      out[key] = strip(child, childPath);
    }
    return out;
  };
  const stripped = strip(JSON.parse(JSON.stringify(facts)) as Json, '') as unknown as CaseFacts;
  return { facts: stripped, hidden };
}

/**
 * An edit made without the confidential values: they are kept from the stored facts. A
 * confidential value in such an edit is refused, naming the field, rather than silently dropped
 * or silently kept: the editor has to say they mean to replace it.
 */
export function keepConfidential(
  submitted: CaseFacts,
  stored: CaseFacts,
): { facts: CaseFacts; problems: ErrorDetail[] } {
  const sent = withoutConfidential(submitted);
  const problems = sent.hidden.map((field) => ({
    field: `facts.${field}`,
    message:
      'is confidential: leave it out to keep the stored value, or send confidential: "replace"',
  }));
  const merged = JSON.parse(JSON.stringify(submitted)) as { [key: string]: Json };
  for (const path of withoutConfidential(stored).hidden) {
    const value = read(stored as unknown as Json, path);
    if (value !== undefined) write(merged, path, value);
  }
  return { facts: merged as unknown as CaseFacts, problems };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function read(root: Json, path: string): Json | undefined {
  let at: Json | undefined = root;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || at === undefined) return undefined;
    at = Array.isArray(at) ? at[Number(key)] : Object.hasOwn(at, key) ? at[key] : undefined;
  }
  return at;
}

/** Writes only where the parent exists (an array item the editor removed stays removed). */
function write(root: { [key: string]: Json }, path: string, value: Json): void {
  const keys = path.split('.');
  let at: Json = root;
  for (const key of keys.slice(0, -1)) {
    if (at === null || typeof at !== 'object') return;
    const next: Json | undefined = Array.isArray(at)
      ? at[Number(key)]
      : Object.hasOwn(at, key)
        ? at[key]
        : undefined;
    if (next === undefined || next === null || typeof next !== 'object') return;
    at = next;
  }
  const last = keys[keys.length - 1];
  if (last === undefined || at === null || typeof at !== 'object' || Array.isArray(at)) return;
  at[last] = value;
}
