import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHost } from '../../../emulator/host/index.js';

describe('startHost with isoPort', () => {
  it('opens the ISO 8583 listener on 127.0.0.1 next to the REST API, and closes both', async () => {
    const host = await startHost({ isoPort: 0 });
    const port = host.isoPort;
    expect(typeof port).toBe('number');
    expect(port).not.toBe(host.port);
    await new Promise<void>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: port as number }, () => {
        s.destroy();
        resolve();
      });
      s.once('error', reject);
    });
    await host.close();
    await expect(
      new Promise<void>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: port as number }, () => {
          s.destroy();
          resolve();
        });
        s.once('error', reject);
      }),
    ).rejects.toThrow();
  });

  it('without isoPort reports null', async () => {
    const host = await startHost();
    expect(host.isoPort).toBeNull();
    await host.close();
  });
});
