import type { Condition } from './pack-manifest';

/**
 * How one PDF form is filled from the view model. Every field of the form appears here, either
 * with a source or with `ignore` and the reason it stays blank; lint fails otherwise.
 */
export interface FormMapping {
  fields: Record<string, FieldRule>;
}

export type FieldRule = TextRule | CheckRule | ChoiceRule | IgnoreRule;

export interface TextRule {
  /** Dotted path into the view model; the value is turned into text (lists joined by ", "). */
  value: string;
  /** When the text does not fit the field's rectangle, what to write there instead. */
  overflow?: {
    /** The jurisdiction's wording, e.g. "See Attachment 7". */
    label: string;
    /** Heading of the attachment page's section, e.g. "DV-100, item 7 (continued)". */
    heading: string;
  };
}

export interface CheckRule {
  /** The box is ticked when this holds. */
  checked: Condition;
}

export interface ChoiceRule {
  /** Radio group or dropdown: path whose value selects the option; `options` maps values to option names. */
  choice: string;
  options: Record<string, string>;
}

export interface IgnoreRule {
  /** Why this field is deliberately left blank, e.g. "for court use". */
  ignore: string;
}

/** What the filler is asked to do for one field, after the mapping has been resolved. */
export type FieldValue =
  | { field: string; kind: 'text'; text: string; overflow?: TextRule['overflow'] }
  | { field: string; kind: 'checkbox'; checked: boolean }
  | { field: string; kind: 'choice'; option: string };
