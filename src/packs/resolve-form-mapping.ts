import { resolvePath, valueToText } from '../view-models/resolve-path';
import { evaluateCondition } from './condition';
import type { FieldValue, FormMapping } from './form-mapping';

/** Turns a form's mapping and a case's view model into the values the PDF filler sets. */
export function resolveFormMapping(mapping: FormMapping, model: unknown): FieldValue[] {
  const values: FieldValue[] = [];
  for (const [field, rule] of Object.entries(mapping.fields)) {
    if ('ignore' in rule) continue;
    if ('checked' in rule) {
      values.push({ field, kind: 'checkbox', checked: evaluateCondition(rule.checked, model) });
    } else if ('choice' in rule) {
      const key = valueToText(resolvePath(model, rule.choice));
      const option = rule.options[key];
      if (option !== undefined) values.push({ field, kind: 'choice', option });
    } else {
      const text = valueToText(resolvePath(model, rule.value));
      values.push({ field, kind: 'text', text, overflow: rule.overflow });
    }
  }
  return values;
}
