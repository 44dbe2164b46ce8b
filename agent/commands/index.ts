/** The command-line entry shared by both programs. Each sub-command is loaded on demand by its CLI. */
export { runCli, type Command } from './runCli.js';
