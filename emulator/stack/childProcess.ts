/** Child processes for the emulated counter (demo, e2e tests, fleet): output captured line by line, stopped by pid. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A spawned process with its output captured line by line. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  stdout: string[];
  stderr: string[];
  /**
   * Resolves with the first stdout line from index `from` on (default 0) that
   * `match` accepts; rejects on exit or after `timeoutMs` (default 20000).
   */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number, from?: number): Promise<string>;
  /** Sends SIGTERM (or `signal`) and waits for exit, escalating to SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `node <script> ...args` (or any command) and captures its output. */
export function startChild(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Child {
  const proc = spawn(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not start ${cmd}`);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<(line: string) => void>();
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    stdout.push(line);
    for (const w of [...waiters]) w(line);
  });
  createInterface({ input: proc.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  const waitForLine = (match: (line: string) => boolean, timeoutMs = 20_000, from = 0) =>
    new Promise<string>((resolve, reject) => {
      const seen = stdout.slice(from).find(match);
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => done(new Error(`timed out waiting for output from ${cmd} ${args.join(' ')}\nstderr:\n${stderr.join('\n')}`)), timeoutMs);
      const onLine = (line: string) => {
        if (match(line)) done(undefined, line);
      };
      const onExit = (code: number | null) => done(new Error(`${cmd} exited (${code}) before the expected line\nstderr:\n${stderr.join('\n')}`));
      function done(err?: Error, line?: string) {
        clearTimeout(timer);
        waiters.delete(onLine);
        proc.off('exit', onExit);
        if (err) reject(err);
        else resolve(line as string);
      }
      waiters.add(onLine);
      proc.once('exit', onExit);
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  return { proc, pid: proc.pid, stdout, stderr, waitForLine, stop, exited };
}

/** Parses a JSON line, or returns undefined. */
export function jsonLine(line: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
