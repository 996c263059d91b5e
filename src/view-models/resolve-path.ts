/**
 * Looks up a dotted path (`petitioner.mailing.city`, `incidents.0.when`) in a view model.
 * Only own properties are followed, so a path can never reach a prototype or a function:
 * templates and mappings name data, they cannot run code.
 */
export function resolvePath(root: unknown, path: string): unknown {
  if (path === '' || path === '.') return root;
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return typeof current === 'function' ? undefined : current;
}

/** True when the path names a value that exists (even an empty string or `false`). */
export function hasPath(root: unknown, path: string): boolean {
  return resolvePath(root, path) !== undefined;
}

/** The text a value prints as: lists joined by ", ", booleans as Yes/No, nothing as "". */
export function valueToText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(valueToText).filter(Boolean).join(', ');
  return '';
}
