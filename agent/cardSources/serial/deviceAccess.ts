import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';

/** Who may open a serial device, and who is asking: what `config check` needs to say why an open was refused. */
export interface DeviceAccess {
  /** The path as configured (`reader.path`, perhaps a symlink such as the emulator's `--link`). */
  path: string;
  /** The device itself, the symlinks resolved (`/dev/ttyUSB0`, `/dev/pts/3`). */
  device: string;
  /** Owner and group of the device, by name where /etc/passwd and /etc/group have one, else the number. */
  owner: string;
  group: string;
  /** Permission bits, as `ls` and chmod write them (`0600`). */
  mode: string;
  /** The user this process runs as (the service user under `runuser -u pos-agent`). */
  user: string;
  /** A pseudo-terminal (`/dev/pts/N`): the emulator's socat port, not a real reader. */
  pty: boolean;
}

/** The name of a numeric id in /etc/passwd or /etc/group (`name:x:id:...`), or the number. */
function nameOf(file: string, id: number): string {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , num] = line.split(':');
      if (name !== undefined && name !== '' && num === String(id)) return name;
    }
  } catch {
    // No such file (not Linux, or a minimal container): the number has to do.
  }
  return String(id);
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // A uid with no /etc/passwd entry.
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** The device behind `path`, its owner, group and mode, and this process's user; undefined when it cannot be stat'ed. */
export function describeDeviceAccess(path: string): DeviceAccess | undefined {
  try {
    const device = realpathSync(path);
    const st = statSync(device);
    return {
      path,
      device,
      owner: nameOf('/etc/passwd', st.uid),
      group: nameOf('/etc/group', st.gid),
      mode: `0${(st.mode & 0o777).toString(8).padStart(3, '0')}`,
      user: currentUser(),
      pty: device.startsWith('/dev/pts/'),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether an open of `path` that failed with `err` failed for want of permission. The serial binding's error
 * carries no errno, only strerror's text ("Permission denied, cannot open ..."), so the text counts, and so does
 * access(2) for reading and writing the path.
 */
export function deniedAccess(path: string, err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return true;
  if (typeof e?.message === 'string' && /permission denied|operation not permitted/i.test(e.message)) return true;
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
    return false;
  } catch (accessErr) {
    const code = (accessErr as { code?: unknown }).code;
    return code === 'EACCES' || code === 'EPERM';
  }
}
