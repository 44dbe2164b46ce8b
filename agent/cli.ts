#!/usr/bin/env node
/**
 * pos-agent: the terminal daemon's command line. Each sub-command lives in
 * agent/commands/<name>.ts and exports `main(argv): Promise<number>` (the exit code).
 */
import { runCli, type Command } from './commands/index.js';

const USAGE = `usage: pos-agent <command> [options]  |  pos-agent --version

commands:
  run --config FILE [--pretty]          start the agent
  config check --config FILE            validate the file, probe the reader and the host
  config init                           print a commented config template
  keygen --out FILE                     write a 32-byte queue key (mode 0600)
  keygen --api-token --out FILE         write a POS API bearer token for api.tokenFile (mode 0600)
  queue status|list|flush|dead|retry ID|accept-loss --config FILE [--json]
                                        inspect and drive the store-and-forward queue
`;

const commands: Record<string, () => Promise<Command>> = {
  run: () => import('./commands/run.js'),
  config: () => import('./commands/config.js'),
  keygen: () => import('./commands/keygen.js'),
  queue: () => import('./commands/queue.js'),
};

runCli('pos-agent', USAGE, commands, process.argv.slice(2));
