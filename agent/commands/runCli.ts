import { packageVersion } from '../packageInfo.js';
import { usageError } from './usage.js';

/** A sub-command module: `main(argv)` resolves to the process exit code. */
export type Command = { main(argv: string[]): Promise<number> };

/**
 * The command-line entry shared by `pos-agent` and `pos-emulator`: picks the
 * sub-command, loads its module on demand, and sets the exit code (2 for a
 * usage error, 1 for an unexpected failure, which is printed without a stack).
 * `--version` prints the package version.
 */
export function runCli(program: string, usage: string, commands: Record<string, () => Promise<Command>>, argv: string[]): void {
  const main = async (): Promise<number> => {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(usage);
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      process.stdout.write(`${program} ${packageVersion()}\n`);
      return 0;
    }
    const load = commands[name];
    if (!load) return usageError(`unknown command "${name}"`, usage);
    return (await load()).main(rest);
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${program}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
