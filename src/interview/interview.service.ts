import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { PETITIONER } from '../cases/case-access';
import { AuditTrail } from '../audit/audit-trail';
import { CaseSharesService } from '../cases/case-shares.service';
import { CasesService } from '../cases/cases.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { DownloadableFile, PacketsService } from '../packets/packets.service';
import { MEDIA_TYPES } from '../packets/packet-builder';
import { Audience } from '../packs/pack-manifest';
import { PacksService } from '../packs/packs.service';
import { DraftKeys, ResumeKdf } from './draft-crypto';
import { Draft, DraftStore } from './draft-store';
import type { FieldError } from './interview-answers';
import { InterviewDefinition, Language } from './interview-definition';
import { InterviewEngine, Position, Submission } from './interview-engine';
import { loadInterviewForPack } from './interview-loader';
import { message } from './interview-messages';
import { InterviewSessions, SESSION_ID, Session } from './interview-sessions';
import type { ChangeAnswerDto } from './interview.dto';
import {
  ClientInfo,
  FinishedInterview,
  InterviewReview,
  InterviewScreen,
  PetitionerInterview,
  ResumedInterview,
  StartedInterview,
  InterviewShareStatus,
  ShareCode,
} from './petitioner-interview';
import { generateResumeCode, parseResumeCode } from './resume-code';
import { ResumeThrottle } from './resume-throttle';

/** The name the petitioner's download gets: it says nothing about who or what court. */
export const PETITIONER_FILE_NAME = 'court-forms.pdf';

/**
 * The petitioner's interview behind sessions: each session holds the key to one encrypted draft,
 * and every step reads the draft, moves the engine and seals the draft again. Resuming derives
 * the key from the code, behind a throttle that answers before any derivation runs.
 */
@Injectable()
export class InterviewService implements PetitionerInterview, OnModuleInit {
  private readonly engines = new Map<string, InterviewEngine>();
  /** Steps on one draft run one at a time, so two quick submissions cannot lose each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly packs: PacksService,
    private readonly cases: CasesService,
    private readonly shares: CaseSharesService,
    private readonly audit: AuditTrail,
    private readonly packets: PacketsService,
    private readonly drafts: DraftStore,
    private readonly sessions: InterviewSessions,
    private readonly throttle: ResumeThrottle,
    private readonly kdf: ResumeKdf,
  ) {}

  /** Every pack's interview is loaded and linted at start-up: a bad one stops the service. */
  onModuleInit(): void {
    for (const pack of this.packs.list()) {
      const id = pack.manifest.id;
      this.engines.set(id, new InterviewEngine(loadInterviewForPack(this.config.PACKS_DIR, id)));
    }
  }

  async start(packId: string, language: Language, _client: ClientInfo): Promise<StartedInterview> {
    const engine = this.engine(packId);
    const resumeCode = generateResumeCode();
    const keys = await this.kdf.derive(resumeCode, language);
    const draft: Draft = { packId, language, state: engine.start() };
    const ref = await this.drafts.create(keys, draft);
    const sessionId = this.sessions.open(ref, language, packId);
    return { ...this.screen(sessionId, draft), resumeCode };
  }

  async resume(code: string, client: ClientInfo): Promise<ResumedInterview> {
    const lang = client.language ?? 'en';
    const clientKey = this.throttle.clientKey(client.address);
    this.refuseIfThrottled([clientKey], lang);
    const parsed = parseResumeCode(code, lang);
    if (!parsed.ok) {
      this.throttle.fail([clientKey]);
      throw codeInvalid(parsed.message);
    }
    const keys = [clientKey, this.throttle.codeKey(parsed.normalized)];
    this.refuseIfThrottled(keys, lang);
    const attempt = this.throttle.begin(keys);
    let derived: DraftKeys;
    try {
      derived = await this.kdf.derive(parsed.normalized, lang);
    } catch (e) {
      // A busy service is not a wrong guess.
      attempt.withdraw();
      throw e;
    }
    const opened = await this.drafts.openByCode(derived);
    if (!opened) {
      derived.key.fill(0);
      throw codeInvalid(message('codeOpensNothing', lang));
    }
    attempt.withdraw();
    const { ref, draft } = opened;
    const sessionId = this.sessions.open(ref, draft.language, draft.packId);
    return this.screen(sessionId, draft);
  }

  current(sessionId: string): Promise<InterviewScreen> {
    return this.withDraft(sessionId, (_session, draft) =>
      Promise.resolve(this.screen(sessionId, draft)),
    );
  }

  answer(sessionId: string, submission: Submission): Promise<InterviewScreen> {
    return this.withDraft(sessionId, async (session, draft) => {
      const result = this.engine(draft.packId).submit(draft.state, submission, draft.language);
      if (!result.ok) throw fixAnswers(draft.language, result.errors);
      const changed = JSON.stringify(result.state.answers) !== JSON.stringify(draft.state.answers);
      const next: Draft = {
        ...draft,
        state: result.state,
        changedSincePacket: draft.changedSincePacket || (changed && draft.packetId !== undefined),
      };
      return this.save(session, next);
    });
  }

  back(sessionId: string): Promise<InterviewScreen> {
    return this.withDraft(sessionId, (session, draft) =>
      this.save(session, { ...draft, state: this.engine(draft.packId).back(draft.state) }),
    );
  }

  change(sessionId: string, target: ChangeAnswerDto): Promise<InterviewScreen> {
    return this.withDraft(sessionId, (session, draft) => {
      const next = this.engine(draft.packId).change(draft.state, toPosition(target));
      if (!next) {
        throw AppError.validation([
          { field: 'kind', message: 'not a screen that can be changed now' },
        ]);
      }
      return this.save(session, { ...draft, state: next });
    });
  }

  language(sessionId: string, language: Language): Promise<InterviewScreen> {
    return this.withDraft(sessionId, async (session, draft) => {
      const screen = await this.save(session, { ...draft, language });
      session.language = language;
      return screen;
    });
  }

  review(sessionId: string): Promise<InterviewReview> {
    return this.withDraft(sessionId, (_session, draft) => {
      const engine = this.engine(draft.packId);
      return Promise.resolve({
        sessionId,
        language: draft.language,
        entries: engine.review(draft.state, draft.language),
        canFinish: engine.firstUnfinished(draft.state) === undefined,
      });
    });
  }

  /**
   * Turns the answers into a case and a packet. Finishing again after a change updates the same
   * case and makes a new packet, so the petitioner never leaves a second case behind.
   */
  finish(sessionId: string): Promise<FinishedInterview> {
    return this.withDraft(sessionId, async (session, draft) => {
      const facts = this.factsOf(draft);
      let caseId = draft.caseId && (await this.updateCase(draft.caseId, facts));
      if (!caseId) {
        caseId = (await this.cases.create({ packId: draft.packId, facts })).id;
        // Recorded before the packet is made: if that fails, finishing again reuses this case.
        await this.save(session, { ...draft, caseId, packetId: undefined });
      }
      const packet = await this.packets.generate(caseId, PETITIONER);
      await this.save(session, {
        ...draft,
        caseId,
        packetId: packet.id,
        changedSincePacket: false,
      });
      return { sessionId, caseId, packetId: packet.id };
    });
  }

  packet(sessionId: string): Promise<DownloadableFile> {
    return this.withDraft(sessionId, async (_session, draft) => {
      const { caseId, packetId } = draft;
      if (!caseId || !packetId) throw AppError.notFound();
      const packet = await this.packets.get(caseId, PETITIONER, packetId);
      const copy = packet.bundles.find((b) => b.audience === Audience.Petitioner)?.file;
      if (!copy) {
        throw new AppError(
          ErrorCode.ConverterUnavailable,
          message('packetNotMerged', draft.language),
        );
      }
      const file = await this.packets.file(caseId, PETITIONER, packetId, copy.name);
      return { name: PETITIONER_FILE_NAME, mediaType: MEDIA_TYPES.pdf, bytes: file.bytes };
    });
  }

  share(sessionId: string): Promise<ShareCode> {
    return this.withDraft(sessionId, async (_session, draft) => {
      const caseId = await this.existingCase(draft);
      const { code, expiresAt } = await this.shares.create(caseId);
      return { code, expiresAt: expiresAt.toISOString() };
    });
  }

  shareStatus(sessionId: string): Promise<InterviewShareStatus> {
    return this.withDraft(sessionId, async (_session, draft) => {
      if (!draft.caseId) return { canShare: false, pendingCodes: 0, sharedWith: 0 };
      const status = await this.shares.status(draft.caseId);
      return {
        canShare: true,
        pendingCodes: status.pending,
        sharedWith: status.acceptedBy.length,
      };
    });
  }

  withdrawShare(sessionId: string): Promise<void> {
    return this.withDraft(sessionId, async (_session, draft) => {
      if (!draft.caseId) return;
      const { acceptedBy } = await this.shares.status(draft.caseId);
      await this.shares.withdraw(draft.caseId);
      // One record per organisation that had the case, in that organisation's own trail.
      for (const organisationId of acceptedBy) {
        await this.audit.record({
          action: 'case.share.withdraw',
          actor: { kind: 'petitioner', userId: null, organisationId },
          caseId: draft.caseId,
        });
      }
    });
  }

  /** The draft's case, which must still exist: sharing needs the papers to have been made. */
  private async existingCase(draft: Draft): Promise<string> {
    const refuse = (): AppError =>
      new AppError(ErrorCode.ValidationFailed, message('shareNeedsFinish', draft.language), [
        { field: 'share', message: message('shareNeedsFinish', draft.language) },
      ]);
    if (!draft.caseId) throw refuse();
    try {
      await this.cases.require(draft.caseId, PETITIONER);
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.NotFound) throw refuse();
      throw e;
    }
    return draft.caseId;
  }

  async erase(sessionId: string): Promise<void> {
    const session = this.sessions.touch(sessionId);
    const { draftId } = session;
    await this.exclusive(draftId, async () => {
      const draft = await this.drafts.read(session);
      if (draft?.caseId) await this.deleteCase(draft.caseId);
      await this.drafts.delete(draftId);
    });
    this.sessions.endAllFor(draftId);
  }

  lock(sessionId: string): Promise<void> {
    this.sessions.lock(sessionId);
    return Promise.resolve();
  }

  definition(packId: string): InterviewDefinition {
    return this.engine(packId).definition;
  }

  sessionLanguage(sessionId: string): Language | undefined {
    return this.sessions.peek(sessionId)?.language;
  }

  // ---- internals --------------------------------------------------------------------------------

  private async withDraft<T>(
    sessionId: string,
    use: (session: Session, draft: Draft) => Promise<T>,
  ): Promise<T> {
    if (!SESSION_ID.test(sessionId)) throw AppError.notFound();
    const session = this.sessions.touch(sessionId);
    return this.exclusive(session.draftId, async () => {
      const draft = await this.drafts.read(session);
      if (!draft) {
        // Erased from another device, or purged: nothing is left for this session to open.
        this.sessions.end(sessionId);
        throw AppError.notFound();
      }
      // Another device on the same draft may have switched language since this session opened.
      session.language = draft.language;
      return use(session, draft);
    });
  }

  private async exclusive<T>(draftId: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(draftId) ?? Promise.resolve();
    const mine = before.then(run, run);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(draftId, settled);
    try {
      return await mine;
    } finally {
      if (this.queues.get(draftId) === settled) this.queues.delete(draftId);
    }
  }

  private async save(session: Session, draft: Draft): Promise<InterviewScreen> {
    if (!(await this.drafts.write(session, draft))) {
      this.sessions.end(session.id);
      throw AppError.notFound();
    }
    return this.screen(session.id, draft);
  }

  private screen(sessionId: string, draft: Draft): InterviewScreen {
    const screen = this.engine(draft.packId).view(draft.state, draft.language);
    const finished = draft.caseId !== undefined && draft.packetId !== undefined;
    return {
      sessionId,
      language: draft.language,
      packId: draft.packId,
      screen,
      ...(finished
        ? { caseId: draft.caseId, packetOutdated: draft.changedSincePacket === true }
        : {}),
    };
  }

  private refuseIfThrottled(keys: string[], lang: Language): void {
    const seconds = this.throttle.retryAfterSeconds(keys);
    if (seconds <= 0) return;
    const text = message('tooManyAttempts', lang, { minutes: Math.ceil(seconds / 60) });
    throw new AppError(ErrorCode.TooManyAttempts, text, [
      { field: 'code', message: text, retryAfterSeconds: seconds },
    ]);
  }

  /** The case's id after updating it, or undefined when it is gone (deleted or purged). */
  private async updateCase(caseId: string, facts: CaseFacts): Promise<string | undefined> {
    try {
      return (await this.cases.update(caseId, PETITIONER, facts)).id;
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.NotFound) return undefined;
      throw e;
    }
  }

  private async deleteCase(caseId: string): Promise<void> {
    try {
      await this.cases.delete(caseId, PETITIONER);
    } catch (e) {
      if (!(e instanceof AppError && e.code === ErrorCode.NotFound)) throw e;
    }
  }

  private factsOf(draft: Draft): CaseFacts {
    const engine = this.engine(draft.packId);
    const unfinished = engine.firstUnfinished(draft.state);
    if (unfinished) {
      const title = engine.view({ ...draft.state, position: unfinished }, draft.language).title;
      const text = message('unfinished', draft.language, { title });
      throw new AppError(ErrorCode.ValidationFailed, text, [
        { field: 'screen', message: text, position: unfinished },
      ]);
    }
    try {
      return parseCaseFacts(engine.toCaseFacts(draft.state.answers));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // The model refused what the screens accepted: point at the question, so it can be fixed.
      throw new AppError(
        e.code,
        e.message,
        e.details.map((d) => withQuestion(engine, d)),
      );
    }
  }

  private engine(packId: string): InterviewEngine {
    const engine = this.engines.get(packId);
    if (engine) return engine;
    this.packs.get(packId); // an unknown pack answers pack_not_found, as everywhere else
    throw new AppError(ErrorCode.PackInvalid, `Pack "${packId}" has no interview loaded`);
  }
}

function codeInvalid(text: string): AppError {
  return new AppError(ErrorCode.ResumeCodeInvalid, text, [{ field: 'code', message: text }]);
}

function fixAnswers(lang: Language, errors: FieldError[]): AppError {
  const details = errors.map((e): ErrorDetail => ({ field: e.field, message: e.message }));
  return new AppError(ErrorCode.ValidationFailed, message('fix', lang), details);
}

function withQuestion(engine: InterviewEngine, detail: ErrorDetail): ErrorDetail {
  const hit = detail.field ? engine.questionForField(detail.field) : undefined;
  return hit ? { ...detail, questionId: hit.question.id, position: hit.position } : detail;
}

function toPosition(target: ChangeAnswerDto): Position {
  if (target.kind === 'list') return { kind: 'list', sectionId: target.sectionId ?? '' };
  if (target.kind === 'item') {
    return {
      kind: 'item',
      sectionId: target.sectionId ?? '',
      index: target.index ?? -1,
      screenId: target.screenId ?? '',
    };
  }
  return { kind: 'screen', screenId: target.screenId ?? '' };
}
