import { readFileSync } from 'node:fs';
import type { ErrorDetail } from '../errors/error-code';

/**
 * Reading the JSON data files people write (pack manifests, mappings, interviews): a file that
 * cannot be read or parsed becomes one more problem in the report, not an exception.
 */
export function readJson(path: string, where: string, problems: ErrorDetail[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    problems.push({ field: where, message: `cannot read ${where}: ${reason}` });
    return undefined;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
