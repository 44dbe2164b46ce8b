/**
 * The host emulator as its own process (`pos-emulator host --port 0` from
 * dist/), for tests that need requests to overlap inside one real host: the
 * test process only sends, the host process alone handles them.
 */
import { existsSync } from 'node:fs';
import { jsonLine, startChild, type Child } from '../../emulator/stack/childProcess.js';
import { EMULATOR_CLI } from '../../emulator/stack/counterStack.js';

export interface HostProcess {
  child: Child;
  /** e.g. http://127.0.0.1:40123 */
  url: string;
}

/** Starts `pos-emulator host --port 0 ...args` on 127.0.0.1 and waits for its listening line. */
export async function startHostProcess(args: string[] = []): Promise<HostProcess> {
  if (!existsSync(EMULATOR_CLI)) throw new Error(`${EMULATOR_CLI} is missing: build first (npx tsc -p tsconfig.json)`);
  const child = startChild(process.execPath, [EMULATOR_CLI, 'host', '--port', '0', ...args]);
  try {
    const line = jsonLine(await child.waitForLine((l) => jsonLine(l)?.msg === 'listening'));
    return { child, url: String(line?.url) };
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
}

/** Kills a host process by its pid (SIGKILL: the tests keep nothing of it) and waits for it to exit. */
export async function killHostProcess(h: HostProcess): Promise<void> {
  const { proc } = h.child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  process.kill(h.child.pid, 'SIGKILL');
  await h.child.exited;
}
