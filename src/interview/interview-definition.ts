import type { Condition } from '../packs/pack-manifest';

/**
 * The guided interview as data: an orchestrator (`interview.json`) naming section files in
 * order, each section a list of screens, each screen a list of questions that write one
 * CaseFacts path. Packs share `templates/common/interview/` unless they ship their own folder.
 */

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Every word a petitioner reads exists in every language the interview offers. */
export type Localized = Record<Language, string>;

export const QUESTION_KINDS = [
  'text',
  'longText',
  'date',
  'yesNo',
  'number',
  'singleChoice',
  'multipleChoice',
  'address',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const TEXT_FORMATS = ['usState', 'phone', 'email'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

export interface ChoiceOption {
  /** A CaseFacts enum value (lint checks it against the property's enum). */
  value: string;
  label: Localized;
  help?: Localized;
}

export interface Question {
  id: string;
  kind: QuestionKind;
  /**
   * Where the answer lands: a dotted CaseFacts path, or, on a list's item screens, a path inside
   * one item (`place` on the incidents list writes `incidents.N.place`).
   */
  path: string;
  label: Localized;
  help?: Localized;
  required?: boolean;
  /** Shown only when this holds over the answers so far (the item's answers on item screens). */
  showIf?: Condition;
  options?: ChoiceOption[];
  /** Longest text accepted; defaults follow the CaseFacts limits for the kind. */
  maxLength?: number;
  min?: number;
  max?: number;
  /** For short text that CaseFacts checks for shape: checked on the screen, not at the end. */
  format?: TextFormat;
  /** For dates: refuse a day after today (dates of events, of birth, of signing). */
  notFuture?: boolean;
  /**
   * For long text written to a CaseFacts list of short texts (witnesses, other names): each
   * non-empty line of the answer becomes one item. Petitioners write a list as lines on paper.
   */
  lines?: boolean;
}

export interface Screen {
  id: string;
  title: Localized;
  intro?: Localized;
  showIf?: Condition;
  questions: Question[];
}

/** A repeatable group (incidents, protected persons): its screens are asked once per item. */
export interface ListSpec {
  /** The CaseFacts array the items are written to, e.g. `incidents`. */
  path: string;
  min: number;
  max: number;
  /** "incident" / "incidente": names one item in buttons and messages. */
  itemName: Localized;
  /** Asked on the list screen: "Do you want to add someone?" */
  addPrompt: Localized;
  /** Question id whose answer names an item in the list ("Maya", "the parking lot"). */
  summaryQuestion: string;
}

export interface Section {
  id: string;
  title: Localized;
  showIf?: Condition;
  /** Present for repeatable sections: then `screens` are the item screens. */
  list?: ListSpec;
  screens: Screen[];
}

export interface InterviewDefinition {
  id: string;
  version: string;
  title: Localized;
  sections: Section[];
  /**
   * Values CaseFacts requires that the interview does not ask, by path (`otherCases: []`).
   * Lint counts them as covered; `toCaseFacts` fills them in under the answers.
   */
  defaults: Record<string, unknown>;
  /**
   * CaseFacts paths no question asks and no default gives, each with the reason (attorney
   * fields: "the petitioner has no attorney in this interview"). Lint holds every fact to being
   * asked, defaulted or listed here. Paths inside list items use `N` for the index.
   */
  notAsked?: Record<string, string>;
  /** Legal words and their plain explanations, for the screens they appear on. */
  glossary?: Glossary;
}

/**
 * The orchestrator file as written: section files in order. A pack's own interview may name the
 * shared sections as `common/<file>` and add its own files beside its `interview.json`.
 * A default's text may hold `{path}` placeholders, filled from the answers when the interview
 * becomes CaseFacts (`"court.name": "Superior Court of California, County of {court.county}"`).
 */
export interface InterviewFile {
  id: string;
  version: string;
  title: Localized;
  sections: string[];
  defaults?: Record<string, unknown>;
  notAsked?: Record<string, string>;
}

/** One legal word as a petitioner meets it in one language. */
export interface GlossaryTerm {
  /** The word as shown with its explanation ("respondent", "demandado"). */
  term: string;
  explanation: string;
  /** Other forms that mean the same on a screen ("filing", "filed"; "PPO"). */
  also?: string[];
}

/** `glossary.json`: an id per legal word, with its text in every interview language. */
export type Glossary = Record<string, Record<Language, GlossaryTerm>>;
