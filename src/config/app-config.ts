import { Transform, TransformFnParams, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';
import { LIMITS } from '../case-facts/case-facts.dto';
import { MasterKeyConfigError, parseMasterKeys } from '../crypto/master-keys';
import { projectRoot } from './project-root';

/** `true`/`false`/`1`/`0` only: anything else stays a string, so validation names the variable. */
function toBoolean({ obj, key }: TransformFnParams): unknown {
  // The raw string: implicit conversion has already turned any non-empty string into `true`.
  const value: unknown = (obj as Record<string, unknown>)[key];
  if (value === true || value === false) return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

/**
 * The environment, validated once at start-up: a bad variable stops the process with its name
 * rather than failing later in the middle of a request.
 */
export class AppConfig {
  /** PostgreSQL connection string; when absent the embedded SQLite database is used. */
  @IsOptional() @IsString() DATABASE_URL?: string;
  /** Where the SQLite file, artifacts and installed forms live. */
  @IsString() DATA_DIR: string = resolve(projectRoot(), 'data');
  /** Folder holding one sub-folder per pack. */
  @IsString() PACKS_DIR: string = resolve(projectRoot(), 'templates');
  /** Where prepared official court forms are installed; defaults to DATA_DIR/forms. */
  @IsOptional() @IsString() FORMS_DIR?: string;
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  @IsString() HOST: string = '127.0.0.1';
  /** LibreOffice binary for DOCX to PDF; found on PATH when absent. */
  @IsOptional() @IsString() SOFFICE_PATH?: string;
  /**
   * `warm`: one LibreOffice kept running converts each DOCX (needs python3-uno; converts cold
   * without it). `cold`: a new LibreOffice per packet.
   */
  @IsIn(['warm', 'cold']) OFFICE_MODE: 'warm' | 'cold' = 'warm';
  /**
   * Master keys that wrap the per-case data keys: `version:base64key` pairs (32-byte keys)
   * separated by commas, from a secret store. When absent, DATA_DIR/master.key is used (and
   * created on first start) with a warning.
   */
  @IsOptional() @IsString() MASTER_KEYS?: string;
  /** Which version of MASTER_KEYS wraps new data keys; may be omitted when there is one key. */
  @IsOptional() @IsString() MASTER_KEY_VERSION?: string;
  /** Days a generated packet is kept; its row and files are then purged. */
  @IsInt() @Min(1) @Max(36500) PACKET_RETENTION_DAYS: number = 30;
  /** Days a case is kept after its last update; then it goes with its packets, files and key. */
  @IsInt() @Min(1) @Max(36500) CASE_RETENTION_DAYS: number = 180;
  /** How often the service purges expired packets and cases; 0 turns the schedule off. */
  @IsInt() @Min(0) @Max(10080) PURGE_INTERVAL_MINUTES: number = 60;
  /** Days an interview draft is kept after its last change; then it is purged. */
  @IsInt() @Min(1) @Max(365) INTERVIEW_DRAFT_DAYS: number = 30;
  /** Minutes without activity after which an interview locks and asks for the resume code. */
  @IsInt() @Min(1) @Max(240) INTERVIEW_IDLE_MINUTES: number = 15;
  /** Wrong resume codes allowed per client, and per code, within the window below. */
  @IsInt() @Min(1) @Max(1000) RESUME_MAX_FAILURES: number = 10;
  @IsInt() @Min(1) @Max(1440) RESUME_WINDOW_MINUTES: number = 15;
  /** Minutes without a request after which a staff session ends and staff sign in again. */
  @IsInt() @Min(1) @Max(1440) STAFF_IDLE_MINUTES: number = 30;
  /** Hours after sign-in at which a staff session ends however active it has been. */
  @IsInt() @Min(1) @Max(168) STAFF_SESSION_HOURS: number = 12;
  /** Where the quick-exit control sends the petitioner: a busy, ordinary site. */
  @IsUrl({ protocols: ['https', 'http'], require_tld: false }) QUICK_EXIT_URL: string =
    'https://www.google.com/';
  /**
   * Send session cookies only over HTTPS: set `true` wherever the service is reached over HTTPS.
   * Off by default so that the embedded service at http://127.0.0.1 works as started.
   */
  @Transform(toBoolean) @IsBoolean() COOKIE_SECURE: boolean = false;
  /** Trust X-Forwarded-For from one proxy hop (set behind a reverse proxy), for throttling. */
  @Transform(toBoolean) @IsBoolean() TRUST_PROXY: boolean = false;
  /** Largest batch upload (CSV or JSON Lines) accepted, in bytes. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) BATCH_MAX_BYTES: number = 20 * 1024 * 1024;
  /** Most cases one batch file may hold. */
  @IsInt() @Min(1) @Max(100_000) BATCH_MAX_ROWS: number = 2000;
  /**
   * Largest single cell of a batch file, in bytes. At least the longest text CaseFacts accepts
   * (a narrative) written in UTF-8, where one UTF-16 unit takes up to three bytes, so that no
   * text the API accepts is refused by a batch for its length.
   */
  @IsInt() @Min(LIMITS.narrative * 3) @Max(64 * 1024 * 1024) BATCH_MAX_CELL_BYTES: number =
    64 * 1024;
  /**
   * Redis for batch jobs (`redis://[user:password@]host:port[/db]`). When absent, batches run in
   * the service's own process; when set, the service only enqueues and `npm run worker`
   * processes run them (unless RUN_WORKER_IN_PROCESS).
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;
  /** With REDIS_URL: the service also works the queue itself (one machine, no worker). */
  @Transform(toBoolean) @IsBoolean() RUN_WORKER_IN_PROCESS: boolean = false;
  /** Batch rows one process builds at the same time. */
  @IsInt() @Min(1) @Max(64) WORKER_CONCURRENCY: number = 1;
  /**
   * Scheduling priority a batch worker lowers itself to (Unix nice, 0-19), and the LibreOffice it
   * starts with it: on a machine shared with the service, petitioners' requests come first and
   * the batch takes whatever CPU they leave. 0 keeps the worker at the service's priority.
   */
  @IsInt() @Min(0) @Max(19) WORKER_NICE: number = 10;
  /** Tries per batch row before it is marked failed (a retry from the API starts again). */
  @IsInt() @Min(1) @Max(20) BATCH_JOB_ATTEMPTS: number = 3;
  /** Wait before the second try of a row, doubled for each try after it. */
  @IsInt() @Min(0) @Max(600_000) BATCH_RETRY_DELAY_MS: number = 2000;
  /**
   * Seconds a worker's claim on a running job lasts without renewal: a worker that died is
   * noticed after about this long and its job handed to another.
   */
  @IsInt() @Min(2) @Max(3600) BATCH_LOCK_SECONDS: number = 30;
  /**
   * How often rows the database still has as queued or running are offered to the queue again
   * (the database is the record; a Redis that lost its data is refilled from it).
   */
  @IsInt() @Min(1) @Max(3600) BATCH_SWEEP_SECONDS: number = 30;
  /** Prefix of the queue's Redis keys: lets several services (or test runs) share one Redis. */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
    message: 'BATCH_QUEUE_PREFIX must be letters, digits, _ . -',
  })
  BATCH_QUEUE_PREFIX: string = 'po';
  /** Largest pack archive (ZIP) an organisation may upload, in bytes; larger is refused with 413. */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) PACK_UPLOAD_MAX_BYTES: number = 25 * 1024 * 1024;
  /**
   * Most bytes an uploaded pack may hold once inflated: declared by the archive, and counted while
   * inflating (declared sizes are not trusted); the same again for the DOCX files inside it.
   */
  @IsInt() @Min(1024) @Max(1024 * 1024 * 1024) PACK_MAX_UNCOMPRESSED_BYTES: number =
    100 * 1024 * 1024;
  /** Most entries an uploaded pack archive (and each DOCX inside it) may hold. */
  @IsInt() @Min(1) @Max(65534) PACK_MAX_ENTRIES: number = 200;
  @IsIn(['error', 'warn', 'log', 'debug']) LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' = 'log';

  get formsDir(): string {
    return this.FORMS_DIR ?? resolve(this.DATA_DIR, 'forms');
  }

  get artifactsDir(): string {
    return resolve(this.DATA_DIR, 'artifacts');
  }

  get sqlitePath(): string {
    return resolve(this.DATA_DIR, 'cases.sqlite');
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defaults = new AppConfig();
  const known = Object.keys(defaults).concat([
    'DATABASE_URL',
    'FORMS_DIR',
    'SOFFICE_PATH',
    'MASTER_KEYS',
    'MASTER_KEY_VERSION',
    'REDIS_URL',
  ]);
  const given = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''),
  );
  const config = plainToInstance(AppConfig, given, { enableImplicitConversion: true });
  config.DATA_DIR = resolve(config.DATA_DIR);
  config.PACKS_DIR = resolve(config.PACKS_DIR);
  const errors = validateSync(config);
  if (errors.length > 0) {
    const names = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid environment: ${names.join(', ')}`);
  }
  checkMasterKeys(config);
  return config;
}

/** Master keys are checked at start-up too; the message names the variable, never the key. */
function checkMasterKeys(config: AppConfig): void {
  try {
    if (config.MASTER_KEYS) parseMasterKeys(config.MASTER_KEYS, config.MASTER_KEY_VERSION);
    else if (config.MASTER_KEY_VERSION) {
      throw new MasterKeyConfigError('MASTER_KEY_VERSION: set without MASTER_KEYS');
    }
  } catch (e) {
    if (e instanceof MasterKeyConfigError) throw new Error(`Invalid environment: ${e.message}`);
    throw e;
  }
}
