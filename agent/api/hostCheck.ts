import type { FastifyPluginCallback } from 'fastify';
import { formatHostPort } from '../config/index.js';
import { apiErrorBody } from './apiError.js';

/** The stable code of a request refused for its `Host` header (421 Misdirected Request). */
export const HOST_REFUSED_CODE = 'host-not-allowed';

export interface HostCheckOptions {
  /** The listen host as configured (`127.0.0.1`, `::1`, `localhost`); the port is the one bound. */
  host: string;
  /** The configured port, used until the server is bound (0: whatever was bound). */
  port: number;
}

/**
 * The `Host` headers the API answers: the listen address as bound
 * (`127.0.0.1:7401`, `[::1]:7401`), `localhost:7401` and `localhost`. Lower case.
 */
export function allowedHostHeaders(host: string, port: number): ReadonlySet<string> {
  const names = [formatHostPort({ host, port }).toLowerCase(), `localhost:${port}`, 'localhost'];
  // Listening on `localhost` is listening on its loopback address: an app told to use 127.0.0.1 (or ::1) is served.
  if (host.toLowerCase() === 'localhost') names.push(`127.0.0.1:${port}`, `[::1]:${port}`);
  return new Set(names);
}

/** The request target's authority when it is in absolute form (`GET http://name:port/path`), lower case; else undefined. */
function absoluteTargetAuthority(target: string | undefined): string | undefined {
  if (target === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return undefined;
  try {
    return new URL(target).host.toLowerCase();
  } catch {
    return ''; // an absolute target that does not parse names nothing this agent answers to
  }
}

/** How many `Host` headers the request carried (Node keeps only the first in `headers.host`). */
function hostHeaderCount(rawHeaders: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).toLowerCase() === 'host') n++;
  return n;
}

/**
 * DNS-rebinding defence (DESIGN.md, "Agent local POS API"): a request whose
 * `Host` header (or absolute-form target) is not the listen address or
 * `localhost` is refused with 421 `host-not-allowed`, and one with two Host
 * headers with 400, before anything else is looked at, token or not and on
 * every route. A web page whose name was made to resolve to 127.0.0.1 sends
 * its own name as the Host, so it never reaches a route. Register it with
 * fastify-plugin so that it covers every route and the 404s.
 */
export const hostCheck: FastifyPluginCallback<HostCheckOptions> = (app, opts, done) => {
  let allowed: ReadonlySet<string> | undefined;
  const allowedNow = (): ReadonlySet<string> => {
    if (allowed) return allowed;
    const addr = app.server.address();
    if (typeof addr === 'object' && addr !== null) return (allowed = allowedHostHeaders(opts.host, addr.port));
    return allowedHostHeaders(opts.host, opts.port);
  };
  app.addHook('onRequest', async (req, reply) => {
    const count = hostHeaderCount(req.raw.rawHeaders);
    if (count > 1) {
      req.log.warn({ code: 'E37' }, 'POS API request refused');
      return reply.code(400).send(apiErrorBody('E37', `a request carries one Host header; this one carried ${count}`));
    }
    const host = req.headers.host?.toLowerCase();
    // An absolute-form target names the agent too (RFC 9112, 3.2.2): its authority is checked like the Host.
    const authority = absoluteTargetAuthority(req.raw.url);
    if (host !== undefined && allowedNow().has(host) && (authority === undefined || allowedNow().has(authority))) return;
    req.log.warn({ code: HOST_REFUSED_CODE }, 'POS API request refused');
    const names = [...allowedNow()].filter((h) => h !== 'localhost').join(' or ');
    // The caller's Host is not echoed: it is a stranger's text.
    return reply.code(421).send(apiErrorBody(HOST_REFUSED_CODE, `the Host header must name this agent (${names}); a request for any other name is refused`));
  });
  done();
};
