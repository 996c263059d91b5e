import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createAdmin } from '../accounts/create-admin';
import { batchCommand } from '../batches/batch-cli';
import { parseCaseFacts } from '../case-facts/parse-case-facts';
import { AppError } from '../common/errors/app-error';
import { CaseEntity } from '../cases/case.entity';
import { CasesRepository } from '../cases/cases.repository';
import { CasesService } from '../cases/cases.service';
import { AppConfig, loadConfig } from '../config/app-config';
import { projectRoot } from '../config/project-root';
import { CaseCipher } from '../crypto/case-cipher';
import { DataKeyEntity } from '../crypto/data-key.entity';
import { loadMasterKeyring } from '../crypto/master-keys';
import { countUnencryptedCases, rotateMasterKey } from '../crypto/rotate-master-key';
import { dataSourceOptions } from '../database/data-source-options';
import { installForms } from '../forms/install-forms';
import { InterviewDraftEntity } from '../interview/interview-draft.entity';
import { InterviewDraftsRepository } from '../interview/interview-drafts.repository';
import { PacketBuilder } from '../packets/packet-builder';
import { PacketEntity } from '../packets/packet.entity';
import { PacketsRepository } from '../packets/packets.repository';
import { InterviewLoadError, loadInterviewForPack } from '../interview/interview-loader';
import { LintFinding, lintPack } from '../packs/pack-lint';
import { LoadedPack, loadPacks, packNotReadyError } from '../packs/pack-loader';
import { PacksService } from '../packs/packs.service';
import { DocxToPdfConverter } from '../rendering/convert/docx-to-pdf';
import { OrphanSweeper } from '../retention/orphan-sweeper';
import { RetentionService } from '../retention/retention.service';
import { ArtifactStore } from '../storage/artifact-store';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  generate <facts.json> --pack <id> --out <folder>
      Turns a facts file (CaseFacts, or { "packId", "facts" }) into a packet folder.
  batch --pack <id> --file <cases.csv|cases.jsonl> --out <packets.zip> [--valid-only]
      Makes a packet per row into one ZIP (a folder per row and summary.csv), with a progress
      bar. Problems are listed by row and column; with any, nothing is made unless --valid-only.
      Exit code 1 if a row failed. Cases are kept only in a temporary database, deleted after.
  lint [--pack <id>] [--samples <folder>]
      Checks packs: every form field mapped or ignored, every tag and path has a value.
  migrate
      Applies database migrations (SQLite by default; PostgreSQL when DATABASE_URL is set).
  install-forms --from <folder-or-url>
      Verifies and prepares the official court forms the packs need.
  purge
      Deletes packets older than PACKET_RETENTION_DAYS and cases not updated for
      CASE_RETENTION_DAYS, with their files and data keys, and interview drafts not changed
      for INTERVIEW_DRAFT_DAYS; prints how many.
  create-admin --org "<name>" --email <email>
      Creates an organisation's admin account (and the organisation if it does not exist).
      The password is read from ADMIN_PASSWORD or standard input, never from the command line.
  rotate-master-key
      Re-wraps every case's data key under MASTER_KEY_VERSION (idempotent). Keep the old
      version in MASTER_KEYS until this reports success, then remove it.
`;

type Command = (args: string[], config: AppConfig, env: NodeJS.ProcessEnv) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  generate,
  batch: (args, config) => batchCommand(args, config),
  lint,
  migrate,
  'install-forms': installFormsCommand,
  purge,
  'rotate-master-key': rotateMasterKeyCommand,
  'create-admin': (args, config, env) =>
    createAdmin(args, config, {
      env,
      stdin: process.stdin,
      out: (l) => console.log(l),
      err: (l) => console.error(l),
    }),
};

async function generate(args: string[], config: AppConfig): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { pack: { type: 'string' }, out: { type: 'string' } },
  });
  const [file] = positionals;
  if (!file || !values.out) return usage('generate needs a facts file and --out');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  // `null`, a list or a bare value is not a case: parseCaseFacts says so, naming "facts".
  const raw: Record<string, unknown> =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { facts: parsed };
  const wrapped = typeof raw.facts === 'object' && raw.facts !== null;
  const packId =
    values.pack ?? (wrapped && typeof raw.packId === 'string' ? raw.packId : undefined);
  if (!packId) return usage('say which pack with --pack (or "packId" in the file)');
  const facts = parseCaseFacts(wrapped || 'facts' in raw ? raw.facts : raw);
  const pack = loadPacks(config.PACKS_DIR, config.formsDir).find((p) => p.manifest.id === packId);
  if (!pack) return fail(`No pack "${packId}" in ${config.PACKS_DIR}`);
  if (pack.missingForms.length > 0) throw packNotReadyError(pack);
  const built = await new PacketBuilder(new DocxToPdfConverter(config.SOFFICE_PATH)).build(
    pack,
    facts,
  );
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  for (const f of built.files) writeFileSync(join(out, f.name), f.bytes);
  for (const w of built.manifest.warnings) console.warn(`warning: ${w}`);
  console.log(`${built.files.length} files written to ${out}`);
  return 0;
}

async function lint(args: string[], config: AppConfig): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { pack: { type: 'string' }, samples: { type: 'string' } },
  });
  const samplesDir = resolve(values.samples ?? join(projectRoot(), 'test', 'fixtures', 'cases'));
  const samples = readdirSync(samplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => parseCaseFacts(JSON.parse(readFileSync(join(samplesDir, f), 'utf8')) as unknown));
  const packs = loadPacks(config.PACKS_DIR, config.formsDir).filter(
    (p) => !values.pack || p.manifest.id === values.pack,
  );
  if (packs.length === 0) return fail(`No pack "${values.pack}"`);
  let errors = 0;
  for (const pack of packs) {
    const findings = [...(await lintPack(pack, samples)), ...lintPackInterview(config, pack)];
    errors += findings.filter((f) => f.severity === 'error').length;
    for (const f of findings) {
      console.log(
        `${f.severity}: ${f.pack}/${f.document}${f.subject ? ` [${f.subject}]` : ''}: ${f.message}`,
      );
    }
    console.log(
      `${pack.manifest.id}: ${findings.length === 0 ? 'clean' : `${findings.length} finding(s)`}`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/** The pack's interview, loaded and linted exactly as the service does at start-up. */
function lintPackInterview(config: AppConfig, pack: LoadedPack): LintFinding[] {
  try {
    loadInterviewForPack(config.PACKS_DIR, pack.manifest.id);
    return [];
  } catch (e) {
    if (!(e instanceof InterviewLoadError)) throw e;
    return e.details.map((d) => ({
      pack: pack.manifest.id,
      document: 'interview',
      severity: 'error' as const,
      subject: d.field,
      message: d.message,
    }));
  }
}

async function migrate(_args: string[], config: AppConfig): Promise<number> {
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(
      applied.length
        ? `Applied ${applied.map((m) => m.name).join(', ')}`
        : `Database is up to date (${ds.options.type})`,
    );
  } finally {
    await ds.destroy();
  }
  return 0;
}

async function installFormsCommand(args: string[], config: AppConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { from: { type: 'string' } } });
  if (!values.from) return usage('install-forms needs --from <folder-or-url>');
  const source = /^https?:\/\//.test(values.from) ? values.from : resolve(values.from);
  if (!/^https?:\/\//.test(source) && !existsSync(source)) return fail(`No folder ${source}`);
  const manifests = loadPacks(config.PACKS_DIR, config.formsDir).map((p) => p.manifest);
  const report = await installForms({ source, formsDir: config.formsDir, manifests });
  for (const f of report.installed) console.log(`installed ${f.formNumber} for ${f.packId}`);
  for (const f of report.failed) console.error(`not installed: ${f.message}`);
  return report.failed.length > 0 ? 1 : 0;
}

async function purge(_args: string[], config: AppConfig): Promise<number> {
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    // The same objects the service wires, built by hand: deleting a case needs its cipher (the
    // data key goes in the same transaction) and the artifact store (its files go after).
    const keyring = loadMasterKeyring(config, (m) => console.warn(`warning: ${m}`));
    const cipher = new CaseCipher(ds.getRepository(DataKeyEntity), keyring);
    const artifacts = new ArtifactStore(config, cipher);
    const cases = new CasesRepository(ds.getRepository(CaseEntity));
    const casesService = new CasesService(cases, new PacksService(config), artifacts, cipher);
    const packets = new PacketsRepository(ds.getRepository(PacketEntity));
    const drafts = new InterviewDraftsRepository(ds.getRepository(InterviewDraftEntity));
    const retention = new RetentionService(config, casesService, cases, packets, artifacts, drafts);
    const report = await retention.purgeExpired();
    console.log(
      `Purged ${report.packets} expired packet(s) and ${report.cases} expired case(s) ` +
        `(packets after ${config.PACKET_RETENTION_DAYS} days, cases ${config.CASE_RETENTION_DAYS} days after their last update)`,
    );
    // Folders a crashed writer left behind, as the service's own purge runs clean them.
    const orphans = await new OrphanSweeper(
      artifacts,
      ds.getRepository(CaseEntity),
      ds.getRepository(PacketEntity),
    ).sweep();
    console.log(
      `Removed ${orphans.packets + orphans.cases + orphans.temporary} folder(s) left by interrupted writes`,
    );
    const purgedDrafts = await retention.purgeExpiredDrafts();
    console.log(
      `Purged ${purgedDrafts} expired interview draft(s) (${config.INTERVIEW_DRAFT_DAYS} days after their last change)`,
    );
  } finally {
    await ds.destroy();
  }
  return 0;
}

async function rotateMasterKeyCommand(_args: string[], config: AppConfig): Promise<number> {
  const keyring = loadMasterKeyring(config, (m) => console.warn(`warning: ${m}`));
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    const report = await rotateMasterKey(ds, keyring);
    console.log(
      `${report.rewrapped} data key(s) re-wrapped under master key version ${report.currentVersion}; ` +
        `${report.current} already were`,
    );
    const unencrypted = await countUnencryptedCases(ds);
    if (unencrypted > 0) {
      console.warn(
        `warning: ${unencrypted} case(s) stored before encryption still hold plain facts until their next update`,
      );
    }
  } finally {
    await ds.destroy();
  }
  return 0;
}

function usage(problem: string): number {
  console.error(`${problem}\n\n${USAGE}`);
  return 2;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

/** Runs one command and returns the process exit code; the entry point below only exits with it. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) return usage(name ? `Unknown command "${name}"` : 'No command given');
  try {
    return await command(rest, loadConfig(env), env);
  } catch (e) {
    if (e instanceof AppError) {
      console.error(`${e.code}: ${e.message}`);
      for (const d of e.details) console.error(`  ${d.field ?? ''}: ${d.message}`);
      return 1;
    }
    // JSON.parse's message quotes the start of the file: a case file's content stays off screen.
    if (e instanceof SyntaxError) {
      return fail('The file is not valid JSON (its content is not shown)');
    }
    throw e;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
