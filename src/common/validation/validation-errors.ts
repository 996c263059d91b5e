import type { ValidationError } from 'class-validator';
import type { ErrorDetail } from '../errors/error-code';

/** Flattens class-validator's tree into one detail per failing field, with a dotted path. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field, rule, message: rewriteMessage(message, e.property, field) });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

/** class-validator names only the last segment; the full path is what a user can act on. */
function rewriteMessage(message: string, property: string, field: string): string {
  if (message.startsWith('property ') && message.endsWith(' should not exist')) {
    return `${field} is not a known field`;
  }
  return message.startsWith(property) ? field + message.slice(property.length) : message;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;

/**
 * Keys that could reach an object's prototype, and nesting deeper than any real case, are
 * refused before any object is built from the input.
 */
export function findUnsafeKeys(value: unknown, path = '', depth = 0): ErrorDetail[] {
  if (depth > MAX_DEPTH) {
    return [{ field: path || 'body', message: `nesting deeper than ${MAX_DEPTH} levels` }];
  }
  if (value === null || typeof value !== 'object') return [];
  const out: ErrorDetail[] = [];
  for (const key of Object.keys(value)) {
    const field = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) {
      out.push({ field, message: `${field} is not an allowed field name` });
      continue;
    }
    out.push(...findUnsafeKeys((value as Record<string, unknown>)[key], field, depth + 1));
    if (out.length > 100) break;
  }
  return out;
}
