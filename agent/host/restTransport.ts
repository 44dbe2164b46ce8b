import { rootCertificates } from 'node:tls';
import { Pool } from 'undici';
import { transportError } from './restErrors.js';

export interface RestTransportOptions {
  /** http(s) origin plus optional path prefix, e.g. https://host:8443/loyalty. */
  baseUrl: string;
  /** Response timeout, ms: for the headers once the request is written, and between body chunks. */
  timeoutMs: number;
  /** TCP + TLS connect timeout, ms. */
  connectTimeoutMs: number;
  /** PEM text trusted in addition to the system CAs. */
  caPem?: string;
  /** Keep-alive connections to the host. Default 8. */
  connections?: number;
}

/** One answered request. */
export interface RestAnswer {
  status: number;
  /** The `Date` header, when the host sent one. */
  date: string | undefined;
  text: string;
}

/**
 * HTTP to one loyalty host: a keep-alive undici Pool for its origin with a
 * separate connect timeout and response timeouts. Transport failures come out
 * as HostError with outcome `not-sent` or `unknown` (see restErrors.ts).
 */
export class RestTransport {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly prefix: string;

  constructor(opts: RestTransportOptions) {
    const url = new URL(opts.baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(this.origin, {
      connections: opts.connections ?? 8,
      pipelining: 1,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      keepAliveTimeout: 30_000,
      connect: {
        timeout: opts.connectTimeoutMs,
        ...(opts.caPem === undefined ? {} : { ca: [...rootCertificates, opts.caPem] }),
      },
    });
  }

  /** The full URL of a path (with query) exactly as it is sent: what gets signed. */
  fullUrl(pathAndQuery: string): string {
    return this.origin + this.prefix + pathAndQuery;
  }

  /** Sends one request. `op` names the operation in error messages. */
  async send(op: string, method: 'GET' | 'POST', pathAndQuery: string, headers: Record<string, string>, body?: string): Promise<RestAnswer> {
    try {
      const res = await this.pool.request({ method, path: this.prefix + pathAndQuery, headers, body: body ?? null });
      const text = await res.body.text();
      const date = res.headers['date'];
      return { status: res.statusCode, date: Array.isArray(date) ? date[0] : date, text };
    } catch (err) {
      throw transportError(op, err);
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
