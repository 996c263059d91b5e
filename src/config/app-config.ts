import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';
import { resolve } from 'node:path';
import { projectRoot } from './project-root';

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
  const known = Object.keys(defaults).concat(['DATABASE_URL', 'FORMS_DIR', 'SOFFICE_PATH']);
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
  return config;
}
