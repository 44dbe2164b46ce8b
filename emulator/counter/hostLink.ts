import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * The network between the agent and the host, on 127.0.0.1: a TCP relay
 * that can be cut. While cut it does not listen, so the agent's connections
 * are refused (nothing is sent, as when the host is down) and the open ones
 * are reset; restored, it listens again on the same port. The host itself
 * keeps running, so its ledger, faults and admin API stay reachable.
 */
export class HostLink {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;

  constructor(targetPort: number) {
    this.#target = { host: '127.0.0.1', port: targetPort };
  }

  /** The port the agent connects to (0 before the first {@link restore}). */
  get port(): number {
    return this.#port;
  }

  /** True while the link carries traffic. */
  get up(): boolean {
    return this.#server !== undefined;
  }

  /** Listens (the first time on a free port, after a cut on the same port again). Idempotent. */
  async restore(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: this.#port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : 0;
    this.#server = server;
  }

  /** Stops listening and resets every open connection. Idempotent. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.resetAndDestroy();
    this.#sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #relay(client: Socket): void {
    const upstream = createConnection(this.#target);
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const forget = (s: Socket) => () => this.#sockets.delete(s);
    client.once('close', forget(client));
    upstream.once('close', forget(upstream));
    // A reset on one side is a reset on the other (the host's "drop" and "commit-then-drop" faults).
    client.on('error', () => upstream.resetAndDestroy());
    upstream.on('error', () => client.resetAndDestroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
