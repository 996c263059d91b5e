import { Transform, TransformFnParams, plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';
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
