import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { projectRoot } from '../../config/project-root';

export interface WarmOfficeOptions {
  /** The LibreOffice binary (`soffice`). */
  soffice: string;
  /** A Python 3 that can `import uno`; looked for beside LibreOffice, then as python3. */
  python?: string;
  /** Documents one office converts before it is replaced: LibreOffice grows with use. */
  restartAfter?: number;
  /** Longest one document may take before both processes are replaced and it fails. */
  documentTimeoutMs?: number;
  /** Longest a start may take (a new profile, the listener up, the bridge connected). */
  startTimeoutMs?: number;
  /** Where the office's private folder (its profile) is made; the system's temp folder if absent. */
  tmpDir?: string;
}

export const DEFAULT_RESTART_AFTER = 200;
export const DEFAULT_DOCUMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_START_TIMEOUT_MS = 60_000;

/** Read from src/ in both layouts, as the web assets are: tsc does not copy non-TS files. */
const BRIDGE_SCRIPT = join(projectRoot(), 'src', 'rendering', 'convert', 'office-bridge.py');
const MAX_LINE = 64 * 1024;

/**
 * The warm office cannot run here (no Python with uno, no bridge script) or could not start.
 * `permanent` says whether trying again later is pointless.
 */
export class OfficeUnavailableError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'OfficeUnavailableError';
  }
}

/** The office or the bridge went away while a request was open. */
class OfficeLost extends Error {}
class RequestTimedOut extends Error {}

interface Answer {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  kind?: string;
  error?: string;
}

/**
 * One headless LibreOffice listening on a private UNO pipe, and one Python bridge (office-bridge.py)
 * that loads each DOCX hidden and stores it as PDF. Started on first use; one document at a time
 * (callers queue); both processes are replaced after `restartAfter` documents, when either exits,
 * and when a document takes longer than `documentTimeoutMs`, which fails that document.
 */
export class WarmOffice {
  private session: Session | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private python: Promise<string | undefined> | undefined;
  private startCount = 0;
  private readonly restartAfter: number;
  private readonly documentTimeoutMs: number;
  private readonly startTimeoutMs: number;

  constructor(private readonly options: WarmOfficeOptions) {
    this.restartAfter = Math.max(1, options.restartAfter ?? DEFAULT_RESTART_AFTER);
    this.documentTimeoutMs = options.documentTimeoutMs ?? DEFAULT_DOCUMENT_TIMEOUT_MS;
    this.startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  }

  /**
   * Converts the DOCX at `input` into a PDF at `output` (absolute paths), after any conversion
   * already queued. Fails with AppError RenderFailed for the document, or OfficeUnavailableError
   * when no warm office can run (the caller then converts another way).
   */
  convert(input: string, output: string): Promise<void> {
    const run = this.queue.then(() => this.convertNow(input, output));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The processes now running (the office's is its process group), for tests and health. */
  processIds(): { office: number; bridge: number } | undefined {
    const s = this.session;
    if (!s?.alive || s.office.pid === undefined || s.bridge.pid === undefined) return undefined;
    return { office: s.office.pid, bridge: s.bridge.pid };
  }

  /** How many times an office has been started. */
  starts(): number {
    return this.startCount;
  }

  /** Stops both processes and refuses further work; conversions in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopSession();
  }

  private async convertNow(input: string, output: string): Promise<void> {
    // A lost office is replaced and the document tried once more: a crash in an office that has
    // run for hours says little about this document. A timeout is not retried: it would recur.
    for (let attempt = 1; ; attempt++) {
      const session = await this.ensureSession();
      let answer: Answer;
      try {
        answer = await session.request(input, output, this.documentTimeoutMs);
      } catch (e) {
        await this.stopSession();
        if (e instanceof RequestTimedOut) {
          throw new AppError(
            ErrorCode.RenderFailed,
            `LibreOffice did not convert the document within ${Math.round(this.documentTimeoutMs / 1000)} s`,
          );
        }
        if (attempt < 2) continue;
        throw new AppError(ErrorCode.RenderFailed, 'LibreOffice stopped while converting');
      }
      if (answer.ok === true) {
        session.documents += 1;
        if (session.documents >= this.restartAfter) await this.stopSession();
        return;
      }
      if (answer.kind === 'office') {
        await this.stopSession();
        if (attempt < 2) continue;
        throw new AppError(ErrorCode.RenderFailed, 'LibreOffice stopped while converting');
      }
      throw new AppError(ErrorCode.RenderFailed, 'LibreOffice could not convert the document');
    }
  }

  private async ensureSession(): Promise<Session> {
    if (this.closed) throw new OfficeUnavailableError('the warm office is closed', true);
    if (this.session?.alive) return this.session;
    await this.stopSession();
    this.python ??= findPython(this.options.soffice, this.options.python);
    const python = await this.python;
    if (!python) {
      throw new OfficeUnavailableError(
        'no Python 3 with the uno module (Debian: python3-uno)',
        true,
      );
    }
    if (!existsSync(BRIDGE_SCRIPT)) {
      throw new OfficeUnavailableError(`${BRIDGE_SCRIPT} is missing`, true);
    }
    const session = await Session.start(
      this.options.soffice,
      python,
      BRIDGE_SCRIPT,
      this.startTimeoutMs,
      this.options.tmpDir ?? tmpdir(),
    );
    this.startCount += 1;
    if (this.closed) {
      await session.stop();
      throw new OfficeUnavailableError('the warm office is closed', true);
    }
    this.session = session;
    return session;
  }

  private async stopSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.stop();
  }
}

/** The two processes of one office start, and the one request that may be open on them. */
class Session {
  alive = true;
  documents = 0;
  private nextId = 0;
  private buffered = '';
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly office: ChildProcess,
    readonly bridge: ChildProcess,
    private readonly dir: string,
  ) {
    live.add(this);
    const lost = (): void => this.lost();
    office.once('exit', lost);
    office.once('error', lost);
    bridge.once('exit', lost);
    bridge.once('error', lost);
    bridge.stdin?.on('error', lost);
    bridge.stdout?.setEncoding('utf8');
    bridge.stdout?.on('data', (chunk: string) => this.receive(chunk));
    // Idle processes must not keep a finished Node process (a CLI run, a test file) alive; an
    // open request holds its own timer, and an exit hook kills whatever is left.
    office.unref();
    bridge.unref();
    for (const stream of [bridge.stdin, bridge.stdout]) {
      if (stream instanceof Socket) stream.unref();
    }
  }

  static async start(
    soffice: string,
    python: string,
    script: string,
    timeoutMs: number,
    parent: string,
  ): Promise<Session> {
    const dir = await mkdtemp(join(parent, 'warm-office-'));
    // A named pipe, not a TCP port: its socket file is writable by this user only, so no other
    // local account can connect to the office and run code through it; a random name cannot
    // collide with another office.
    const pipe = `warm-office-${randomBytes(16).toString('hex')}`;
    // Its own process group, so that stopping it reaches soffice.bin behind the oosplash wrapper.
    const office = spawn(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
        '--headless',
        '--invisible',
        '--nologo',
        '--norestore',
        '--nolockcheck',
        `--accept=pipe,name=${pipe};urp;StarOffice.ComponentContext`,
      ],
      { cwd: dir, detached: true, stdio: 'ignore' },
    );
    const bridge = spawn(
      python,
      [script, '--pipe', pipe, '--connect-timeout', String(Math.ceil(timeoutMs / 1000))],
      { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const session = new Session(office, bridge, dir);
    let ready: Answer | undefined;
    try {
      ready = await session.next(timeoutMs);
    } catch {
      ready = undefined;
    }
    if (ready?.ready !== true) {
      await session.stop();
      throw new OfficeUnavailableError('LibreOffice did not start listening', false);
    }
    return session;
  }

  request(input: string, output: string, timeoutMs: number): Promise<Answer> {
    if (!this.alive) return Promise.reject(new OfficeLost());
    const id = ++this.nextId;
    const answer = this.next(timeoutMs);
    this.bridge.stdin?.write(`${JSON.stringify({ id, in: input, out: output })}\n`);
    return answer.then((a) => {
      if (a.id !== id) throw new OfficeLost();
      return a;
    });
  }

  /** Ends both processes, waits until they are gone, removes the profile. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.alive = false;
      this.fail(new OfficeLost());
      killBridge(this.bridge);
      const pgid = this.office.pid;
      if (pgid !== undefined) {
        // soffice.bin first, so that the oosplash wrapper reaps it and exits: killed together, the
        // orphan is left to PID 1 to reap, and where Node is PID 1 (a container) nothing would.
        for (const pid of groupMembers(pgid)) if (pid !== pgid) signal(pid);
        await exited(this.office, 3_000);
        signal(-pgid);
      }
      await Promise.all([exited(this.office, 5_000), exited(this.bridge, 5_000)]);
      if (pgid !== undefined) await groupGone(pgid, 5_000);
      live.delete(this);
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  /** Best effort, synchronous: for the process exit hook. */
  kill(): void {
    killBridge(this.bridge);
    if (this.office.pid !== undefined) signal(-this.office.pid);
    rmSync(this.dir, { recursive: true, force: true });
  }

  next(timeoutMs: number): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new RequestTimedOut());
      }, timeoutMs);
      this.waiting = {
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private lost(): void {
    if (!this.alive) return;
    this.alive = false;
    this.fail(new OfficeLost());
    void this.stop();
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    if (this.buffered.length > MAX_LINE) return this.lost();
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      const answer = parseAnswer(line);
      if (!answer) return this.lost();
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve(answer);
    }
  }
}

function parseAnswer(line: string): Answer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return {
    id: typeof v.id === 'number' ? v.id : undefined,
    ready: typeof v.ready === 'boolean' ? v.ready : undefined,
    ok: typeof v.ok === 'boolean' ? v.ok : undefined,
    kind: typeof v.kind === 'string' ? v.kind : undefined,
    error: typeof v.error === 'string' ? v.error : undefined,
  };
}

/** SIGKILL to a process (or, negative, a process group) that may be gone already. */
function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function killBridge(bridge: ChildProcess): void {
  bridge.stdin?.destroy();
  bridge.kill('SIGKILL');
}

function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    child.once('exit', done);
    child.once('error', done);
  });
}

/**
 * Waits until no live process is left in the group. soffice.bin is the wrapper's child: it is
 * not ours to wait for, and once orphaned it may linger as a zombie, which counts as gone.
 */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function groupAlive(pgid: number): boolean {
  if (hasProc()) return groupMembers(pgid).length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const hasProc = (): boolean => existsSync('/proc/self/stat');

/** The live (not zombie) processes of a group, on Linux; none where /proc is missing. */
function groupMembers(pgid: number): number[] {
  if (!hasProc()) return [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') {
      members.push(Number(entry));
    }
  }
  return members;
}

const unoProbes = new Map<string, Promise<boolean>>();

function importsUno(python: string): Promise<boolean> {
  let probe = unoProbes.get(python);
  if (!probe) {
    probe = new Promise((resolve) => {
      execFile(python, ['-c', 'import uno'], { timeout: 20_000 }, (error) => resolve(!error));
    });
    unoProbes.set(python, probe);
  }
  return probe;
}

/**
 * LibreOffice's own Python first (official builds ship one), then the system's: Debian's
 * python3-uno is for /usr/bin/python3, which a python3 earlier on PATH (pyenv) may hide.
 */
export async function findPython(
  soffice: string,
  configured?: string,
): Promise<string | undefined> {
  const candidates: string[] = [];
  if (configured) candidates.push(configured);
  else {
    try {
      candidates.push(join(dirname(realpathSync(soffice)), 'python'));
    } catch {
      // soffice vanished; the start will report it
    }
    candidates.push('/usr/bin/python3', 'python3');
  }
  for (const candidate of candidates) {
    if (await importsUno(candidate)) return candidate;
  }
  return undefined;
}

/** Every session still running, killed when Node exits without closing them. */
const live = {
  sessions: new Set<Session>(),
  add(session: Session): void {
    if (this.sessions.size === 0) process.on('exit', killLive);
    this.sessions.add(session);
  },
  delete(session: Session): void {
    if (this.sessions.delete(session) && this.sessions.size === 0) {
      process.off('exit', killLive);
    }
  },
};

function killLive(): void {
  for (const session of live.sessions) session.kill();
}
