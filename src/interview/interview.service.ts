import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { CaseFacts } from '../case-facts/case-facts.dto';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { CasesService } from '../cases/cases.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode, ErrorDetail } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { PacksService } from '../packs/packs.service';
import { DRAFT_STORE, Draft, DraftStore } from './draft-store';
import type { FieldError } from './interview-answers';
import { Language } from './interview-definition';
import { InterviewEngine, InterviewState, Position, Submission } from './interview-engine';
import { loadInterviewForPack } from './interview-loader';
import { message } from './interview-messages';
import type {
  ChangeAnswerDto,
  InterviewFinishResponse,
  InterviewReviewResponse,
  InterviewScreenResponse,
} from './interview.dto';

/** 256 random bits: a draft id cannot be guessed, so it cannot be used to find a draft. */
const DRAFT_ID_BYTES = 32;

@Injectable()
export class InterviewService implements OnModuleInit {
  private readonly engines = new Map<string, InterviewEngine>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly packs: PacksService,
    private readonly cases: CasesService,
    @Inject(DRAFT_STORE) private readonly drafts: DraftStore,
  ) {}

  /** Every pack's interview is loaded and linted at start-up: a bad one stops the service. */
  onModuleInit(): void {
    for (const pack of this.packs.list()) {
      const id = pack.manifest.id;
      this.engines.set(id, new InterviewEngine(loadInterviewForPack(this.config.PACKS_DIR, id)));
    }
  }

  async start(packId: string, language: Language): Promise<InterviewScreenResponse> {
    this.packs.get(packId);
    const draftId = randomBytes(DRAFT_ID_BYTES).toString('base64url');
    const state = this.engine(packId).start();
    const draft: Draft = { packId, language, state, updatedAt: new Date() };
    await this.drafts.put(draftId, draft);
    return this.screen(draftId, draft);
  }

  async current(draftId: string): Promise<InterviewScreenResponse> {
    return this.screen(draftId, await this.require(draftId));
  }

  async answer(draftId: string, submission: Submission): Promise<InterviewScreenResponse> {
    const draft = await this.require(draftId);
    const result = this.engine(draft.packId).submit(draft.state, submission, draft.language);
    if (!result.ok) throw fixAnswers(draft.language, result.errors);
    return this.save(draftId, draft, result.state);
  }

  async back(draftId: string): Promise<InterviewScreenResponse> {
    const draft = await this.require(draftId);
    return this.save(draftId, draft, this.engine(draft.packId).back(draft.state));
  }

  async change(draftId: string, target: ChangeAnswerDto): Promise<InterviewScreenResponse> {
    const draft = await this.require(draftId);
    const next = this.engine(draft.packId).change(draft.state, toPosition(target));
    if (!next) {
      throw AppError.validation([
        { field: 'kind', message: 'not a screen that can be changed now' },
      ]);
    }
    return this.save(draftId, draft, next);
  }

  async language(draftId: string, language: Language): Promise<InterviewScreenResponse> {
    const draft = await this.require(draftId);
    const updated: Draft = { ...draft, language, updatedAt: new Date() };
    await this.drafts.put(draftId, updated);
    return this.screen(draftId, updated);
  }

  async review(draftId: string): Promise<InterviewReviewResponse> {
    const draft = await this.require(draftId);
    const engine = this.engine(draft.packId);
    return {
      draftId,
      language: draft.language,
      entries: engine.review(draft.state, draft.language),
      canFinish: engine.firstUnfinished(draft.state) === undefined,
    };
  }

  /**
   * Turns the answers into a case. Finishing again after a change updates the same case, so the
   * petitioner regenerates their packet instead of leaving a second case behind.
   */
  async finish(draftId: string): Promise<InterviewFinishResponse> {
    const draft = await this.require(draftId);
    const facts = this.factsOf(draft);
    const caseId = draft.caseId
      ? (await this.cases.update(draft.caseId, facts)).id
      : (await this.cases.create({ packId: draft.packId, facts })).id;
    await this.drafts.put(draftId, { ...draft, caseId, updatedAt: new Date() });
    return { caseId, links: { case: `/cases/${caseId}`, packets: `/cases/${caseId}/packets` } };
  }

  private factsOf(draft: Draft): CaseFacts {
    const engine = this.engine(draft.packId);
    const unfinished = engine.firstUnfinished(draft.state);
    if (unfinished) {
      const title = engine.view({ ...draft.state, position: unfinished }, draft.language).title;
      throw new AppError(
        ErrorCode.ValidationFailed,
        message('unfinished', draft.language, { title }),
        [
          {
            field: 'screen',
            message: message('unfinished', draft.language, { title }),
            position: unfinished,
          },
        ],
      );
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

  private async save(
    draftId: string,
    draft: Draft,
    state: InterviewState,
  ): Promise<InterviewScreenResponse> {
    const updated: Draft = { ...draft, state, updatedAt: new Date() };
    await this.drafts.put(draftId, updated);
    return this.screen(draftId, updated);
  }

  private screen(draftId: string, draft: Draft): InterviewScreenResponse {
    const screen = this.engine(draft.packId).view(draft.state, draft.language);
    return { draftId, language: draft.language, screen };
  }

  /** Missing, expired and malformed ids all answer the same not-found. */
  private async require(draftId: string): Promise<Draft> {
    const draft = await this.drafts.get(draftId);
    if (!draft) throw AppError.notFound();
    return draft;
  }

  private engine(packId: string): InterviewEngine {
    const engine = this.engines.get(packId);
    if (engine) return engine;
    this.packs.get(packId); // an unknown pack answers pack_not_found, as everywhere else
    throw new AppError(ErrorCode.PackInvalid, `Pack "${packId}" has no interview loaded`);
  }
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
