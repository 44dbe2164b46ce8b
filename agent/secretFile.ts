import { closeSync, fchmodSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * Creates `path` holding `content` with mode 0600 (whatever the umask), and
 * makes it durable (fsync) before it returns: a key or token file that a
 * power cut could empty would lock the agent out of what it protects.
 * Never overwrites: answers `exists` instead. Any other failure to create or
 * write is thrown as the system error; each caller types it (its own codes).
 */
export function createSecretFile(path: string, content: string | Uint8Array): 'created' | 'exists' {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw err;
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return 'created';
}
