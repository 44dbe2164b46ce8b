import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { PosError } from '../../protocol/index.js';
import { READER_PROFILES, isReaderProfile } from '../../protocol/reader/index.js';
import { ReaderEmulator } from './readerEmulator.js';
import { parseReaderCommand } from './readerCommand.js';
import { runReaderCommand } from './runReaderCommand.js';
import { SocatTransport } from './socatTransport.js';

const USAGE = `usage: pos-emulator reader --link PATH [--profile ${READER_PROFILES.join('|')}] [--baud 9600] [--pace]\n`;

function out(obj: unknown): void {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

/**
 * `pos-emulator reader`: a card reader on a socat pseudo-terminal at --link.
 * First stdout line: `{"msg":"ready","link":PATH,"profile":...}`; then one JSON
 * line per stdin command. Runs until SIGINT/SIGTERM; socat is killed on exit.
 */
export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        link: { type: 'string' },
        profile: { type: 'string', default: 'framed' },
        baud: { type: 'string', default: '9600' },
        pace: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.link) return usageError('--link PATH is required');
  const profile = values.profile;
  if (!isReaderProfile(profile)) return usageError(`--profile must be ${READER_PROFILES.join(' or ')} (got "${profile}")`);
  const baudRate = Number(values.baud);
  if (!Number.isInteger(baudRate) || baudRate < 50 || baudRate > 4_000_000) return usageError('--baud must be an integer baud rate, e.g. 9600');

  const transport = new SocatTransport({ link: values.link, baudRate });
  const emu = new ReaderEmulator({ transport, profile, baudRate, pace: values.pace });
  const onExit = () => transport.killNow();
  process.on('exit', onExit);
  try {
    await emu.start();
  } catch (err) {
    out({ msg: 'error', code: err instanceof PosError ? err.code : 'EMU_READER_ERR_SOCAT', error: err instanceof Error ? err.message : String(err) });
    return 1;
  }
  transport.onGone(() => out({ msg: 'gone', reason: 'socat exited', socatLog: transport.socatLog.trim().split('\n').slice(-5) }));
  out({ msg: 'ready', link: values.link, profile, baud: baudRate, pace: values.pace, socatPid: transport.pid });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const rl = createInterface({ input: process.stdin, terminal: false });
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      rl.close();
      process.stdin.destroy();
      void emu.close().finally(() => {
        process.off('exit', onExit);
        resolve(code);
      });
    };
    process.once('SIGTERM', () => stop(0));
    process.once('SIGINT', () => stop(0));
    let chain = Promise.resolve();
    rl.on('line', (line) => {
      chain = chain.then(() => handleLine(emu, line));
    });
  });
}

async function handleLine(emu: ReaderEmulator, line: string): Promise<void> {
  try {
    const cmd = parseReaderCommand(line);
    if (!cmd) return;
    out(await runReaderCommand(emu, cmd));
  } catch (err) {
    out({ msg: 'error', code: err instanceof PosError ? err.code : 'EMU_READER_ERR_COMMAND', error: err instanceof Error ? err.message : String(err) });
  }
}

function usageError(message: string): number {
  process.stderr.write(`error: ${message}\n${USAGE}`);
  return 2;
}
