import { ReaderEmulatorError } from './readerEmulatorError.js';

/** One line of the stdin command language. */
export type ReaderCommand =
  | { cmd: 'swipe'; pan: string; expiry: string }
  | { cmd: 'swipe-card'; name: string }
  | { cmd: 'noise'; bytes: number }
  | { cmd: 'bad-lrc'; card?: string }
  | { cmd: 'truncate'; card?: string }
  | { cmd: 'unplug' }
  | { cmd: 'replug' }
  | { cmd: 'status' };

export const COMMAND_HELP =
  'commands: swipe PAN YYMM | swipe-card NAME | noise N | bad-lrc [NAME] | truncate [NAME] | unplug | replug | status';

const MAX_NOISE = 65_536;

function bad(message: string): never {
  throw new ReaderEmulatorError('EMU_READER_ERR_COMMAND', `${message}; ${COMMAND_HELP}`);
}

/**
 * Parses one command line. Throws `EMU_READER_ERR_COMMAND` naming what was
 * wrong; the message never repeats a PAN or expiry. Returns undefined for a blank line.
 */
export function parseReaderCommand(line: string): ReaderCommand | undefined {
  const words = line.trim().split(/\s+/).filter((w) => w.length > 0);
  const [name, ...args] = words;
  if (name === undefined) return undefined;
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max) {
      bad(`"${name}" takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'} (got ${args.length})`);
    }
  };
  switch (name) {
    case 'swipe': {
      arity(2, 2);
      const [pan, expiry] = args as [string, string];
      if (!/^[0-9]{1,19}$/.test(pan)) bad('swipe: PAN must be 1 to 19 digits');
      if (!/^[0-9]{4}$/.test(expiry)) bad('swipe: expiry must be 4 digits, YYMM');
      return { cmd: 'swipe', pan, expiry };
    }
    case 'swipe-card':
      arity(1, 1);
      return { cmd: 'swipe-card', name: args[0] as string };
    case 'noise': {
      arity(1, 1);
      const n = Number(args[0]);
      if (!Number.isInteger(n) || n < 1 || n > MAX_NOISE) bad(`noise: N must be an integer from 1 to ${MAX_NOISE}`);
      return { cmd: 'noise', bytes: n };
    }
    case 'bad-lrc':
    case 'truncate':
      arity(0, 1);
      return args[0] === undefined ? { cmd: name } : { cmd: name, card: args[0] };
    case 'unplug':
    case 'replug':
    case 'status':
      arity(0, 0);
      return { cmd: name };
    default:
      return bad(`unknown command "${name.slice(0, 32)}"`);
  }
}
