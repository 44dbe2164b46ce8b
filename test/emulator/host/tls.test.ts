import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { startHost } from '../../../emulator/host/index.js';
import { signedClient } from '../../support/signedFetch.js';
import { card, cardHeaders } from './hostFixture.js';

const dir = mkdtempSync(join(tmpdir(), 'host-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TLS', () => {
  it('serves the signed API over HTTPS; the signature covers the https:// URL', async () => {
    const caOut = join(dir, 'ca.pem');
    const host = await startHost({ tls: true, tlsCaOut: caOut });
    const dispatcher = new Agent({ connect: { ca: readFileSync(caOut) } });
    try {
      expect(host.url.startsWith('https://127.0.0.1:')).toBe(true);
      expect(readFileSync(caOut, 'utf8')).toBe(host.caPem);
      const api = await signedClient(host.url, { dispatcher });
      const r = await api({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')) });
      expect(r.status).toBe(200);
      // Signed as if the scheme were http: the host rebuilds https:// and refuses.
      const wrongScheme = await signedClient(host.url, { dispatcher });
      const { authHeaders } = await import('../../support/signedFetch.js');
      const h = authHeaders({ baseUrl: host.url.replace('https', 'http'), token: 't' }, { path: '/api/v1/loyalty/rewards' });
      const bad = await wrongScheme({ path: '/api/v1/loyalty/rewards', headers: cardHeaders(card('happy')), override: { Signature: h.Signature ?? '' } });
      expect(bad.status).toBe(401);
      expect((bad.body as { error: { code: string } }).error.code).toBe('E26');
    } finally {
      await dispatcher.close();
      await host.close();
    }
  });

  it('an untrusting client cannot connect', async () => {
    const host = await startHost({ tls: true });
    try {
      await expect(fetch(`${host.url}/_emulator/faults`)).rejects.toThrow();
    } finally {
      await host.close();
    }
  });
});
