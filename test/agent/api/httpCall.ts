import { request } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (the scan for secrets reads it whole). */
  text: string;
  /** The body parsed, or undefined when it is not JSON. */
  body: unknown;
}

export interface HttpCall {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Send no Host header at all (as an HTTP/1.0 client may). Default false. */
  noHost?: boolean;
}

/**
 * One request on a real loopback socket, through node:http so that the Host
 * header can be anything (fetch does not let a caller set it).
 */
export function httpCall(url: string, c: HttpCall): Promise<HttpAnswer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: Number(u.port),
        method: c.method,
        path: c.path,
        headers: { ...(c.body === undefined ? {} : { 'content-type': 'application/json' }), ...c.headers },
        setHost: c.noHost !== true,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}
