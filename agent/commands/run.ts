import { parseArgs } from 'node:util';
import { startAgentRuntime } from '../agentRuntime.js';
import { ConfigError, formatHostPort, loadConfig } from '../config/index.js';
import { createLogger } from '../log/index.js';
import { PosError } from '../../protocol/index.js';
import { usageError } from './usage.js';

const USAGE = 'usage: pos-agent run --config FILE [--pretty]\n';

/** After a failed start, the most the process waits for its last handles before it exits. */
const EXIT_GRACE_MS = 2000;

/** A start-up failure as one line for the technician: a stable code and what to do, never a stack trace. */
function startFailure(err: unknown, api: { host: string; port: number }): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === 'EADDRINUSE') {
    return { code: 'API_ERR_PORT_IN_USE', message: `api.listen ${formatHostPort(api)} is already in use by another process; stop it, or set another api.listen` };
  }
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') {
    return { code: 'API_ERR_LISTEN', message: `cannot listen on api.listen ${formatHostPort(api)} (${String(e.code)}); choose a loopback address and a free port above 1023` };
  }
  if (err instanceof PosError) return { code: err.code, message: err.message };
  return { code: 'AGENT_ERR_START', message: err instanceof Error ? err.message : String(err) };
}

/** `pos-agent run`: starts the agent and runs until SIGTERM or SIGINT (exit 0 after a clean stop). */
export async function main(argv: string[]): Promise<number> {
  let values: { config?: string; pretty?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string' }, pretty: { type: 'boolean' } } }));
  } catch (err) {
    return usageError((err as Error).message, USAGE);
  }
  if (!values.config) return usageError('--config FILE is required', USAGE);

  let loaded;
  try {
    loaded = loadConfig(values.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.stderr.write('fix the file, then check it with: pos-agent config check --config FILE\n');
      return 1;
    }
    throw err;
  }
  const { config, warnings } = loaded;
  const logger = createLogger({
    level: config.log.level,
    pretty: values.pretty ?? false,
    merchantId: config.terminal.merchantId,
    terminalId: config.terminal.terminalId,
  });
  for (const w of warnings) logger.warn({ key: w.path }, w.message);

  // Everything the agent creates (the queue, its -wal and -shm, the lock, the mark) is its user's alone.
  process.umask(0o077);
  let runtime;
  try {
    runtime = await startAgentRuntime(config, logger);
  } catch (err) {
    const { code, message } = startFailure(err, config.api);
    logger.fatal({ code, reason: message }, 'agent could not start');
    process.stderr.write(`pos-agent: ${code}: ${message}\n`);
    // Everything opened was closed again; should anything still hold the event loop, do not linger.
    setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
    return 1;
  }

  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      logger.info({ signal: sig }, 'stopping');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await runtime.stop();
  return 0;
}
