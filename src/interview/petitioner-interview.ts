import type { DownloadableFile } from '../packets/packets.service';
import type { InterviewDefinition, Language } from './interview-definition';
import type { ReviewEntry, ScreenView, Submission } from './interview-engine';
import type { ChangeAnswerDto } from './interview.dto';

/**
 * What the JSON API and the web pages both drive: one petitioner's interview, reached through a
 * session that holds the key to their encrypted draft. A session is opened by starting (which
 * issues the resume code) or by resuming with the code; it locks itself after a spell of
 * inactivity, after which only the code opens the draft again.
 *
 * Errors are `AppError`s: `not_found` for an unknown session, `interview_locked` (401) for one
 * that timed out, `resume_code_invalid` (400, naming the field `code`) for a wrong code,
 * `too_many_attempts` (429, with `retryAfterSeconds` in the details) once guessing is throttled,
 * `validation_failed` naming each question for answers that need fixing.
 */
export interface PetitionerInterview {
  start(packId: string, language: Language, client: ClientInfo): Promise<StartedInterview>;
  resume(code: string, client: ClientInfo): Promise<ResumedInterview>;
  current(sessionId: string): Promise<InterviewScreen>;
  answer(sessionId: string, submission: Submission): Promise<InterviewScreen>;
  back(sessionId: string): Promise<InterviewScreen>;
  change(sessionId: string, target: ChangeAnswerDto): Promise<InterviewScreen>;
  language(sessionId: string, language: Language): Promise<InterviewScreen>;
  review(sessionId: string): Promise<InterviewReview>;
  /** Builds (or, after a change, rebuilds) the case and its packet from the answers. */
  finish(sessionId: string): Promise<FinishedInterview>;
  /** The petitioner's copy of the latest packet: the court filing followed by the next steps. */
  packet(sessionId: string): Promise<DownloadableFile>;
  /** "Delete my answers": the draft, the case and every generated file, at once. */
  erase(sessionId: string): Promise<void>;
  /** Ends the session now (leaving a shared device); the draft stays for the code to open. */
  lock(sessionId: string): Promise<void>;
  /**
   * A new code the petitioner gives an advocate, so the advocate's organisation can see the
   * case. Only once the papers were made (there is a case); nothing is shared until a code is
   * used. `shareStatus` tells how many organisations have it; `withdrawShare` ends every share.
   */
  share(sessionId: string): Promise<ShareCode>;
  shareStatus(sessionId: string): Promise<InterviewShareStatus>;
  withdrawShare(sessionId: string): Promise<void>;
  /** The interview a pack runs, as loaded and linted at start-up (read-only). */
  definition(packId: string): InterviewDefinition;
  /** The session's language without touching its idle clock, for pages shown around the flow. */
  sessionLanguage(sessionId: string): Language | undefined;
}

export interface ShareCode {
  /** Twelve letters and digits in groups of four; shown once, stored only as a hash. */
  code: string;
  expiresAt: string;
}

export interface InterviewShareStatus {
  /** False until the papers are made: there is nothing to share yet. */
  canShare: boolean;
  /** Codes made and not yet used or expired. */
  pendingCodes: number;
  /** How many organisations can see the case now. */
  sharedWith: number;
}

export const PETITIONER_INTERVIEW = Symbol('PetitionerInterview');

/** Who is knocking: guessing of resume codes is throttled per client as well as per code. */
export interface ClientInfo {
  /** The client's address as the server sees it (after any trusted proxy). */
  address: string;
  /** The language to word a refusal in (a wrong code, too many tries); English when absent. */
  language?: Language;
}

export interface InterviewScreen {
  sessionId: string;
  language: Language;
  packId: string;
  screen: ScreenView;
  /** Set once the interview has been finished: a packet exists to download. */
  caseId?: string;
  /** Set once finished: true when answers changed after the packet was made (finish again). */
  packetOutdated?: boolean;
}

export interface StartedInterview extends InterviewScreen {
  /** Shown once, at the start: eight words the petitioner writes down. Never stored in clear. */
  resumeCode: string;
}

export type ResumedInterview = InterviewScreen;

export interface InterviewReview {
  sessionId: string;
  language: Language;
  entries: ReviewEntry[];
  canFinish: boolean;
}

export interface FinishedInterview {
  sessionId: string;
  caseId: string;
  packetId: string;
}
