#!/usr/bin/env node
/**
 * pos-emulator: the stand-ins for everything physical or remote. Each
 * sub-command lives in emulator/<name>/main.ts and exports `main(argv): Promise<number>`.
 */
const USAGE = `usage: pos-emulator <command> [options]

commands:
  host   [--port N] [--iso-port N] [--db FILE] [--fixtures FILE]
         [--webhook-url URL --webhook-secret whsec_... [--webhook-ca FILE]] [--tls [--tls-ca-out FILE]] [--clients FILE]
                                  the loyalty host (REST, Pay with Points, ISO 8583)
  reader --link PATH [--profile framed|magtek] [--baud 9600] [--pace]
                                  a card reader on a virtual serial port (socat)
  fleet  --terminals N --duration S --host URL
                                  N emulated terminals; prints throughput and latency
`;

type Command = { main(argv: string[]): Promise<number> };

const commands: Record<string, () => Promise<Command>> = {
  host: () => import('./host/main.js'),
  reader: () => import('./reader/main.js'),
  fleet: () => import('./fleet/main.js'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`error: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  return (await load()).main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pos-emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
