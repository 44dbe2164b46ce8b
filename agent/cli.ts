#!/usr/bin/env node
/**
 * pos-agent: the terminal daemon's command line. Each sub-command lives in
 * agent/commands/<name>.ts and exports `main(argv): Promise<number>` (the exit code).
 */
import { usageError } from './commands/usage.js';

const USAGE = `usage: pos-agent <command> [options]

commands:
  run --config FILE [--pretty]          start the agent
  config check --config FILE            validate the file, probe the reader and the host
  config init                           print a commented config template
  keygen --out FILE                     write a 32-byte queue key (mode 0600)
  queue status|list|flush|dead|retry ID --config FILE [--json]
                                        inspect and drive the store-and-forward queue
`;

type Command = { main(argv: string[]): Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
  run: () => import('./commands/run.js'),
  config: () => import('./commands/config.js'),
  keygen: () => import('./commands/keygen.js'),
  queue: () => import('./commands/queue.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) return usageError(`unknown command "${name}"`, USAGE);
  return (await load()).main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pos-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
