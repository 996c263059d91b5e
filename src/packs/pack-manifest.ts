/** Who may see a document. A packet is assembled into one bundle per audience. */
export enum Audience {
  Court = 'court',
  Petitioner = 'petitioner',
  Respondent = 'respondent',
  LawEnforcement = 'law-enforcement',
}

export enum DocumentKind {
  Docx = 'docx',
  PdfForm = 'pdf-form',
}

/**
 * A declarative condition over the view model, so a pack decides which documents and boxes apply
 * without code. `path` is a dotted path into the view model (see view-models/).
 */
export type Condition =
  | { path: string; equals: string | number | boolean }
  | { path: string; in: (string | number)[] }
  | { path: string; includes: string }
  | { path: string; truthy: true }
  | { path: string; nonEmpty: true }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** An official form the court publishes: installed by the operator, never bundled. */
export interface OfficialForm {
  number: string;
  title: string;
  revision: string;
  /** Where the court publishes it. */
  publishedAt: string;
  /** SHA-256 of the file exactly as published. */
  sha256: string;
}

export interface PackDocument {
  id: string;
  title: string;
  kind: DocumentKind;
  /**
   * For `docx` and pack-made forms: a path inside the pack folder. For official forms: the name
   * the prepared form is stored under in the installed-forms folder.
   */
  file: string;
  /** Included only when this holds; always included when absent. */
  when?: Condition;
  audiences: Audience[];
  /** For `pdf-form`: a path inside the pack folder to the field mapping (see form-mapping.ts). */
  mapping?: string;
  /** For official court forms. */
  form?: OfficialForm;
}

export interface PackManifest {
  id: string;
  title: string;
  version: string;
  jurisdiction: { state: string; name: string };
  /** The court's language: documents are written in it whatever language the interview used. */
  language: string;
  documents: PackDocument[];
}
