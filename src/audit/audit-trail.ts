import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ACCOUNTS_CLOCK } from '../accounts/clock';
import type { Principal } from '../accounts/principal';
import { clientAddress } from '../accounts/request-credentials';
import type { Clock } from '../common/clock';
import { csvLine } from '../common/csv-cell';
import { AppError } from '../common/errors/app-error';
import type { ErrorDetail } from '../common/errors/error-code';
import { AuditEventEntity } from './audit-event.entity';
import {
  AUDIT_ACTIONS,
  AUDIT_ACTOR_KINDS,
  AUDIT_OUTCOMES,
  AuditActor,
  AuditContext,
  AuditEvent,
  AuditFilter,
  AuditListResponse,
  AuditPage,
  AuditRecordResponse,
} from './audit.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_SUBJECT = 255;
/** Control characters never belong in an id, a file name or a route pattern. */
const CONTROL = /\p{Cc}/u;
export const MAX_PAGE = 500;
/** Rows read per query while an export streams: bounded memory whatever the trail's size. */
const EXPORT_BATCH = 500;

/** `<at in ms>.<seq>` of the last record shown: the key the trail is ordered by. */
export const CURSOR_PATTERN = /^(\d{1,15})\.(\d{1,15})$/;

export const CSV_COLUMNS = [
  'id',
  'at',
  'action',
  'outcome',
  'actor_kind',
  'actor_user_id',
  'case_id',
  'subject',
  'ip',
] as const;

interface Cursor {
  at: Date;
  seq: number;
}

/**
 * The append-only audit trail: who did what to which case or account, when and from where. It
 * can only add records; the database refuses to change or remove them.
 */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly db: DataSource,
    @Inject(ACCOUNTS_CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Adds one record, inside `tx` when given so that an action and its record are committed
   * together or not at all. A malformed event is a programming error and throws: a record that
   * could carry something other than ids must not be written.
   */
  async record(event: AuditEvent, tx?: EntityManager): Promise<void> {
    const row = toRow(event, randomUUID(), new Date(this.clock()));
    await (tx ?? this.db.manager)
      .createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values(row)
      .updateEntity(false)
      .execute();
  }

  static actorOf(principal: Principal): AuditActor {
    return {
      kind: principal.via.kind,
      userId: principal.userId,
      organisationId: principal.organisationId,
    };
  }

  static contextOf(principal: Principal, req: Request): AuditContext {
    return { actor: AuditTrail.actorOf(principal), ip: clientAddress(req) };
  }

  /** An `access.denied` event for the route `req` matched, named by its pattern. */
  static deniedEvent(principal: Principal, req: Request, caseId?: string | null): AuditEvent {
    return {
      action: 'access.denied',
      actor: AuditTrail.actorOf(principal),
      outcome: 'denied',
      caseId: caseId ?? null,
      subject: routePatternOf(req),
      ip: clientAddress(req),
    };
  }

  /**
   * Records a refusal: a missing permission, or a case of another organisation answered as
   * not found (the caller still answers 404; only the trail knows).
   */
  denied(principal: Principal, req: Request, caseId?: string | null): Promise<void> {
    return this.record(AuditTrail.deniedEvent(principal, req, caseId));
  }

  /** One organisation's records, newest first. */
  async list(
    organisationId: string,
    filter: AuditFilter,
    page: AuditPage,
  ): Promise<AuditListResponse> {
    if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE) {
      throw AppError.validation([
        { field: 'limit', message: `limit must be a whole number from 1 to ${MAX_PAGE}` },
      ]);
    }
    const before = page.before === undefined ? undefined : parseCursor(page.before);
    const rows = await this.query(organisationId, filter, before)
      .limit(page.limit + 1)
      .getMany();
    const shown = rows.slice(0, page.limit);
    const last = shown[shown.length - 1];
    return {
      records: shown.map(toResponse),
      next: rows.length > page.limit && last ? cursorOf(last) : null,
    };
  }

  /**
   * One organisation's records as CSV, newest first, read from the database a batch at a time
   * while the stream is consumed. The filter is checked before the stream is made.
   */
  exportCsv(organisationId: string, filter: AuditFilter): Readable {
    checkFilter(filter);
    const next = (before: Cursor | undefined) =>
      this.query(organisationId, filter, before).limit(EXPORT_BATCH).getMany();
    async function* lines(): AsyncGenerator<string> {
      yield csvLine([...CSV_COLUMNS]);
      let before: Cursor | undefined;
      for (;;) {
        const rows = await next(before);
        for (const row of rows) yield csvLine(toCells(row));
        const last = rows[rows.length - 1];
        if (rows.length < EXPORT_BATCH || !last) return;
        before = { at: last.at, seq: last.seq };
      }
    }
    return Readable.from(lines(), { objectMode: false });
  }

  private query(
    organisationId: string,
    filter: AuditFilter,
    before: Cursor | undefined,
  ): SelectQueryBuilder<AuditEventEntity> {
    checkFilter(filter);
    const qb = this.db
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.organisation_id = :organisationId', { organisationId });
    if (filter.action) qb.andWhere('e.action = :action', { action: filter.action });
    if (filter.caseId) qb.andWhere('e.case_id = :caseId', { caseId: filter.caseId });
    if (filter.userId) qb.andWhere('e.actor_user_id = :userId', { userId: filter.userId });
    if (filter.from) qb.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('e.at < :to', { to: filter.to });
    if (before) {
      qb.andWhere(
        new Brackets((w) => {
          w.where('e.at < :beforeAt', { beforeAt: before.at }).orWhere(
            new Brackets((same) => {
              same
                .where('e.at = :beforeAt', { beforeAt: before.at })
                .andWhere('e.seq < :beforeSeq', { beforeSeq: before.seq });
            }),
          );
        }),
      );
    }
    return qb.orderBy('e.at', 'DESC').addOrderBy('e.seq', 'DESC');
  }
}

/**
 * The route a request matched, as declared (`/users/:id`), never the concrete path: ids in it
 * could be anyone's. Without a matched route, id-like segments are replaced by `:id`.
 */
export function routePatternOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  const declared = typeof route?.path === 'string';
  const path = declared
    ? `${typeof req.baseUrl === 'string' ? req.baseUrl : ''}/${String(route?.path)}`
    : ((req.originalUrl ?? req.url ?? '').split(/[?#]/, 1)[0] ?? '');
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    // Seven segments of at most 32 characters each keep the pattern within a subject's length.
    .slice(0, 7)
    .map((s) => ((declared && ROUTE_PARAM.test(s)) || ROUTE_WORD.test(s) ? s : ':id'));
  return `/${segments.join('/')}`;
}

const ROUTE_PARAM = /^:[A-Za-z][A-Za-z0-9_]{0,30}$/;
const ROUTE_WORD = /^[a-z][a-z-]{0,23}(\.[a-z]{2,4})?$/;

function toRow(event: AuditEvent, id: string, at: Date): Omit<AuditEventEntity, 'seq'> {
  const { actor } = event;
  const outcome = event.outcome ?? 'ok';
  if (!(AUDIT_ACTIONS as readonly string[]).includes(event.action)) {
    throw new Error('audit event has an unknown action');
  }
  if (!(AUDIT_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new Error('audit event has an unknown outcome');
  }
  if (!(AUDIT_ACTOR_KINDS as readonly string[]).includes(actor.kind)) {
    throw new Error('audit event has an unknown actor kind');
  }
  const caseId = idOrNull(event.caseId, 'caseId');
  return {
    id,
    at,
    organisationId: idOrNull(actor.organisationId, 'actor.organisationId'),
    actorKind: actor.kind,
    actorUserId: idOrNull(actor.userId, 'actor.userId'),
    action: event.action,
    outcome,
    caseId,
    subject: subjectOrNull(event.subject),
    ip: addressOrNull(event.ip),
  };
}

/** The error names the field, never the value, which is exactly what must not be stored. */
function idOrNull(value: string | null | undefined, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (!UUID.test(value)) throw new Error(`audit event ${field} is not an id`);
  return value;
}

/**
 * A tripwire, not a proof: an '@' (an email) or control characters (free text) in a subject
 * mean a value was passed where an id or a neutral name belongs.
 */
function subjectOrNull(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (value.length === 0 || value.length > MAX_SUBJECT) {
    throw new Error(`audit event subject must be 1 to ${MAX_SUBJECT} characters`);
  }
  if (value.includes('@') || CONTROL.test(value)) {
    throw new Error('audit event subject must be an id or a neutral name');
  }
  return value;
}

/** Only an IP address is kept; Express's placeholders ('unknown') and anything else are not. */
function addressOrNull(value: string | null | undefined): string | null {
  return value && isIP(value) !== 0 ? value : null;
}

function checkFilter(filter: AuditFilter): void {
  const problems: ErrorDetail[] = [];
  if (
    filter.action !== undefined &&
    !(AUDIT_ACTIONS as readonly string[]).includes(filter.action)
  ) {
    problems.push({
      field: 'action',
      message: `action must be one of ${AUDIT_ACTIONS.join(', ')}`,
    });
  }
  for (const field of ['caseId', 'userId'] as const) {
    const value = filter[field];
    if (value !== undefined && !UUID.test(value)) {
      problems.push({ field, message: `${field} must be an id` });
    }
  }
  for (const field of ['from', 'to'] as const) {
    const value = filter[field];
    if (value !== undefined && Number.isNaN(value.getTime())) {
      problems.push({ field, message: `${field} must be a valid date` });
    }
  }
  if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) {
    problems.push({ field: 'to', message: 'to must not be before from' });
  }
  if (problems.length > 0) throw AppError.validation(problems);
}

function parseCursor(cursor: string): Cursor {
  const m = CURSOR_PATTERN.exec(cursor);
  const at = Number(m?.[1]);
  const seq = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(at) || !Number.isSafeInteger(seq)) {
    throw AppError.validation([
      { field: 'cursor', message: 'cursor must be the next value of an earlier page' },
    ]);
  }
  return { at: new Date(at), seq };
}

function cursorOf(row: AuditEventEntity): string {
  return `${row.at.getTime()}.${row.seq}`;
}

function toResponse(row: AuditEventEntity): AuditRecordResponse {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actor: { kind: row.actorKind, userId: row.actorUserId },
    caseId: row.caseId,
    subject: row.subject,
    ip: row.ip,
  };
}

function toCells(row: AuditEventEntity): string[] {
  return [
    row.id,
    row.at.toISOString(),
    row.action,
    row.outcome,
    row.actorKind,
    row.actorUserId ?? '',
    row.caseId ?? '',
    row.subject ?? '',
    row.ip ?? '',
  ];
}
