import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterStack, jsonLine } from '../stack/index.js';

/** The reader emulator's state, as its `status` command reports it. */
export interface ReaderState {
  plugged?: boolean;
  armed?: boolean;
  status?: string;
  arms?: number;
  [key: string]: unknown;
}

/**
 * A whole emulated counter as the console drives it: host emulator, reader
 * emulator and agent. The one seam between the console and how the counter
 * is started (today a {@link CounterStack} of real processes, as `npm start`
 * runs; a `startCounter` library can take its place behind this interface).
 */
export interface EmulatedCounter {
  readonly agentUrl: string;
  /** Headers every agent request carries (its bearer token). */
  readonly agentHeaders: Record<string, string>;
  hostUrl(): string;
  hostOnline(): boolean;
  /** One reader command line (`swipe-card happy`, `unplug`, ...); resolves with the reader's answer line. */
  reader(command: string): Promise<Record<string, unknown>>;
  readerState(): Promise<ReaderState>;
  stopHost(): Promise<void>;
  startHost(): Promise<void>;
  /** The agent's JSON log lines from index `from` on. */
  agentLog(from: number): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Starts host, reader (on socat) and agent as processes in a temp folder; `stop` kills them by pid and removes it. */
export async function startEmulatedCounter(): Promise<EmulatedCounter> {
  const dir = mkdtempSync(join(tmpdir(), 'pos-console-'));
  const stack = new CounterStack({ dir, hostTimeoutMs: 2000 });
  try {
    await stack.start();
  } catch (err) {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let online = true;
  let readerQueue: Promise<unknown> = Promise.resolve();
  const reader = (command: string): Promise<Record<string, unknown>> => {
    // One command at a time: each answer is the next line naming its command.
    const run = async () => {
      const from = stack.reader.stdout.length;
      const name = command.trim().split(/\s+/)[0] ?? '';
      stack.readerCommand(command);
      const line = await stack.reader.waitForLine((l) => {
        const j = jsonLine(l);
        return j !== undefined && (j.cmd === name || j.msg === 'error');
      }, 10_000, from);
      return jsonLine(line) ?? {};
    };
    const next = readerQueue.then(run, run);
    readerQueue = next.catch(() => undefined);
    return next;
  };
  return {
    agentUrl: stack.agentUrl,
    agentHeaders: stack.agentHeaders,
    hostUrl: () => stack.hostUrl,
    hostOnline: () => online,
    reader,
    readerState: async () => ((await reader('status')).state ?? {}) as ReaderState,
    stopHost: async () => {
      online = false;
      await stack.stopHost();
    },
    startHost: async () => {
      await stack.startHost();
      online = true;
    },
    agentLog: (from) => stack.agent.stdout.slice(from).map(jsonLine).filter((j): j is Record<string, unknown> => j !== undefined),
    stop: async () => {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
