import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const CLI = join(ROOT, 'dist', 'emulator', 'cli.js');

/** socat present? When CI=true the socat tests must run, so the caller must not skip then. */
export const HAVE_SOCAT = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
export const SKIP_SOCAT = !HAVE_SOCAT && process.env.CI !== 'true';

/** Builds dist/ when the emulator CLI is missing (npm test builds it first). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(CLI)) throw new Error(`could not build ${CLI}`);
}

export type Reply = Record<string, unknown> & { msg: string };

/** `pos-emulator reader` as a real child process, spoken to through stdin/stdout JSON lines. */
export class ReaderCli {
  readonly child: ChildProcess;
  private readonly lines: Reply[] = [];
  private waiters: (() => void)[] = [];
  private exited = false;
  ready!: Reply;
  /** Unsolicited lines (`{"msg":"gone"}` when socat died on its own), kept out of the replies. */
  readonly events: Reply[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, 'reader', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.once('exit', () => {
      this.exited = true;
      this.wake();
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (process.env.READER_E2E_DEBUG) process.stderr.write(`[reader] ${line}\n`);
      const reply = JSON.parse(line) as Reply;
      if (reply.msg === 'gone') this.events.push(reply);
      else this.lines.push(reply);
      this.wake();
    });
  }

  static async start(args: string[]): Promise<ReaderCli> {
    const cli = new ReaderCli(args);
    cli.ready = await cli.next();
    return cli;
  }

  get socatPid(): number {
    return this.ready.socatPid as number;
  }

  /** The next stdout line (bounded by the test timeout). */
  async next(): Promise<Reply> {
    while (this.lines.length === 0) {
      if (this.exited) throw new Error('reader emulator exited');
      await new Promise<void>((r) => this.waiters.push(r));
    }
    return this.lines.shift() as Reply;
  }

  /** Sends one command line and returns its JSON reply. */
  async send(line: string): Promise<Reply> {
    this.child.stdin!.write(line + '\n');
    return this.next();
  }

  /** Bounded polling of `status` until the reader's state matches (a real process is involved). */
  async until(pred: (state: Record<string, unknown>) => boolean, tries = 200): Promise<void> {
    for (let i = 0; i < tries; i++) {
      const r = await this.send('status');
      if (pred(r.state as Record<string, unknown>)) return;
      await new Promise((res) => setTimeout(res, 10));
    }
    throw new Error(`reader emulator never reached the expected state; events: ${JSON.stringify(this.events)}`);
  }

  /** SIGTERM by pid and wait for the exit; then make sure socat is gone too. */
  async stop(): Promise<void> {
    const socat = this.ready?.socatPid as number | undefined;
    if (!this.exited && this.child.pid) {
      const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
      process.kill(this.child.pid, 'SIGTERM');
      await exited;
    }
    if (socat !== undefined && isAlive(socat)) process.kill(socat, 'SIGKILL');
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
