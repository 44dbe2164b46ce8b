import { parseArgs } from 'node:util';
import { startAgentRuntime } from '../agentRuntime.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { createLogger } from '../log/index.js';
import { PosError } from '../../protocol/errors.js';
import { usageError } from './usage.js';

const USAGE = 'usage: pos-agent run --config FILE [--pretty]\n';

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

  let runtime;
  try {
    runtime = await startAgentRuntime(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'agent could not start');
    process.stderr.write(`pos-agent: ${err instanceof PosError ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}\n`);
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
