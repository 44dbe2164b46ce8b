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
  return new Set([formatHostPort({ host, port }).toLowerCase(), `localhost:${port}`, 'localhost']);
}

/**
 * DNS-rebinding defence (DESIGN.md, "Agent local POS API"): a request whose
 * `Host` header is not the listen address or `localhost` is refused with 421
 * `host-not-allowed`, before anything else is looked at, token or not and on
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
    const host = req.headers.host?.toLowerCase();
    if (host !== undefined && allowedNow().has(host)) return;
    req.log.warn({ code: HOST_REFUSED_CODE }, 'POS API request refused');
    const names = [...allowedNow()].filter((h) => h !== 'localhost').join(' or ');
    // The caller's Host is not echoed: it is a stranger's text.
    return reply.code(421).send(apiErrorBody(HOST_REFUSED_CODE, `the Host header must name this agent (${names}); a request for any other name is refused`));
  });
  done();
};
