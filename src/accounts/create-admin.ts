import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail';
import { systemClock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { PasswordHasher } from './password-hasher';
import { checkPassword } from './password-policy';
import { UsersService } from './users.service';

export interface CreateAdminIo {
  env: NodeJS.ProcessEnv;
  /** Where the password is read from when ADMIN_PASSWORD is not set. */
  stdin: Readable & { isTTY?: boolean };
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `create-admin --org "<name>" --email <email>`: the first admin of an organisation (made if it
 * does not exist). The password comes from ADMIN_PASSWORD or standard input, never from the
 * command line, where it would be visible in the process list and shell history.
 */
export async function createAdmin(
  args: string[],
  config: AppConfig,
  io: CreateAdminIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { org: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
  });
  if (values.password !== undefined) {
    io.err('The password is never taken from the command line: set ADMIN_PASSWORD or pipe it in.');
    return 2;
  }
  if (!values.org || !values.email) {
    io.err('create-admin needs --org "<organisation name>" --email <email>');
    return 2;
  }
  const password = io.env.ADMIN_PASSWORD ?? (await readPassword(io.stdin, io.err));
  if (!password) {
    io.err('No password given: set ADMIN_PASSWORD or write it to standard input.');
    return 2;
  }
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  try {
    if (await db.showMigrations()) {
      io.err('The database is not up to date: run the migrate command first.');
      return 1;
    }
    const users = new UsersService(
      db,
      new PasswordHasher(),
      systemClock,
      new AuditTrail(db, systemClock),
    );
    const existing = await users.findOrganisationsByName(values.org);
    if (existing.length > 1) {
      io.err('More than one organisation has that name; nothing was created.');
      return 1;
    }
    if (await users.findByEmail(values.email)) {
      io.err('That email already has an account; nothing was created.');
      return 1;
    }
    // The organisation is made in the same step only once the password is known to be
    // acceptable, so a refused password leaves nothing behind.
    if (!existing[0]) {
      const problems = checkPassword(password, {
        organisationName: values.org,
        email: values.email,
      });
      if (problems.length > 0) throw AppError.validation(problems);
    }
    const org = existing[0] ?? (await users.createOrganisation(values.org));
    const user = await users.create({
      organisationId: org.id,
      email: values.email,
      password,
      role: 'admin',
    });
    io.out(
      `${existing[0] ? 'Organisation found' : 'Organisation created'} (${org.id}); admin account created (${user.id}).`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    io.err(`${e.code}: ${e.message}`);
    for (const d of e.details) io.err(`  ${d.field ?? ''}: ${d.message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/**
 * The first line of standard input. On a terminal the typing is not echoed; piped input
 * (`printf '%s' "$PW" | ... create-admin`) is read as it comes.
 */
export async function readPassword(
  input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown },
  prompt: (line: string) => void,
): Promise<string> {
  const terminal = input.isTTY === true && typeof input.setRawMode === 'function';
  if (terminal) {
    prompt('Password for the new admin (not shown):');
    input.setRawMode?.(true);
  }
  let text = '';
  try {
    for await (const chunk of input) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (terminal && text.includes('\u0003')) return '';
      // In raw mode the terminal no longer handles backspace: each one takes back a character.
      if (terminal) {
        const kept: string[] = [];
        for (const c of text) {
          if (c === '\u007f') kept.pop();
          else kept.push(c);
        }
        text = kept.join('');
      }
      if (/[\r\n]/.test(text)) break;
    }
  } finally {
    if (terminal) input.setRawMode?.(false);
    input.pause();
  }
  return text.split(/\r?\n|\r/, 1)[0] ?? '';
}
