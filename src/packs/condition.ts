import { resolvePath } from '../view-models/resolve-path';
import type { Condition } from './pack-manifest';

/** Evaluates a pack condition against a view model. */
export function evaluateCondition(condition: Condition, model: unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, model));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, model));
  if ('not' in condition) return !evaluateCondition(condition.not, model);
  const value = resolvePath(model, condition.path);
  if ('equals' in condition) return value === condition.equals;
  if ('in' in condition) return condition.in.some((v) => v === value);
  if ('includes' in condition) return Array.isArray(value) && value.includes(condition.includes);
  if ('truthy' in condition) return Boolean(value);
  return Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.length > 0;
}

/** Every path a condition reads, so lint can prove each one exists in the view model. */
export function conditionPaths(condition: Condition): string[] {
  if ('all' in condition) return condition.all.flatMap(conditionPaths);
  if ('any' in condition) return condition.any.flatMap(conditionPaths);
  if ('not' in condition) return conditionPaths(condition.not);
  return [condition.path];
}
