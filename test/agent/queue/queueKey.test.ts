import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadQueueKey, writeQueueKeyFile, type QueueError } from '../../../agent/queue/index.js';
import { tempDir } from './queueTestKit.js';

describe('queue key file', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('writes 32 random bytes with mode 0600 that load back', () => {
    const f = join(tmp.dir, 'queue.key');
    writeQueueKeyFile(f);
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(loadQueueKey(f).length).toBe(32);
  });

  it('refuses to overwrite an existing key file', () => {
    const f = join(tmp.dir, 'queue.key');
    writeQueueKeyFile(f);
    const before = loadQueueKey(f);
    expect(() => writeQueueKeyFile(f)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_KEY_EXISTS' }) as QueueError);
    expect(loadQueueKey(f).equals(before)).toBe(true);
  });

  it('refuses a missing file and names the keygen fix', () => {
    const f = join(tmp.dir, 'nope.key');
    expect(() => loadQueueKey(f)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_KEY_MISSING' }) as QueueError);
    expect(() => loadQueueKey(f)).toThrow(`pos-agent keygen --out ${f}`);
  });

  it('refuses a key of the wrong length', () => {
    const f = join(tmp.dir, 'short.key');
    writeFileSync(f, Buffer.alloc(16, 7), { mode: 0o600 });
    expect(() => loadQueueKey(f)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_KEY_LENGTH' }) as QueueError);
    expect(() => loadQueueKey(f)).toThrow('16 bytes');
  });

  it('refuses a key file readable by group or others (0644) and names the chmod fix', () => {
    const f = join(tmp.dir, 'open.key');
    writeFileSync(f, Buffer.alloc(32, 7));
    chmodSync(f, 0o644);
    expect(() => loadQueueKey(f)).toThrow(expect.objectContaining({ code: 'QUEUE_ERR_KEY_MODE' }) as QueueError);
    expect(() => loadQueueKey(f)).toThrow(`chmod 600 ${f}`);
  });
});
