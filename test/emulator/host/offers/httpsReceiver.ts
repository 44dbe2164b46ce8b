import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** One request the receiver got. */
export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A self-signed certificate for 127.0.0.1 (EC P-256, SAN IP 127.0.0.1). */
export async function selfSignedCert(): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * A webhook receiver over HTTPS on 127.0.0.1 port 0. It answers each request
 * with the next status in `statuses` (then 200), or, while `hold` is set,
 * keeps the request open until `release()`.
 */
export class HttpsReceiver {
  readonly received: Received[] = [];
  statuses: number[] = [];
  hold = false;
  private held: Array<() => void> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private server: Server | null = null;
  url = '';

  async start(tls: { cert: string; key: string }): Promise<void> {
    const server = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
        this.received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = () => {
          res.statusCode = this.statuses.shift() ?? 200;
          res.end('ok');
        };
        if (this.hold) this.held.push(answer);
        else answer();
        this.waiters = this.waiters.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves once `n` requests have arrived. */
  receivedCount(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  release(): void {
    this.hold = false;
    for (const a of this.held.splice(0)) a();
  }

  async close(): Promise<void> {
    this.release();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
