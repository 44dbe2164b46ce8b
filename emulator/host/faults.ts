import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { LoyaltyErrorCode } from '../../protocol/loyalty/index.js';
import { sendError } from './errorReply.js';
import { FAULT_ENDPOINTS, isFaultEndpoint, type FaultEndpoint } from './faultEndpoints.js';

/** One fault, applied to every matching request until cleared. */
export interface Fault {
  /** Wait this long before handling the request. */
  latencyMs?: number;
  /** Answer with this status and an error body, without touching the ledger. */
  status?: number;
  /** Destroy the connection without handling the request (nothing applied). */
  drop?: boolean;
  /** Handle the request (commit to the ledger), then destroy the connection instead of answering. */
  commitThenDrop?: boolean;
}

/** A fault's `endpoint`: one of {@link FAULT_ENDPOINTS}; any other name is refused, naming it and the known ones. */
const FaultEndpointSchema = z.enum(FAULT_ENDPOINTS, {
  error: (issue) => `unknown fault endpoint ${JSON.stringify(issue.input)}: the endpoints are ${FAULT_ENDPOINTS.join(', ')}`,
});

/** `POST /_emulator/faults` body. `endpoint` defaults to "*". */
export const FaultRequestSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  drop: z.boolean().optional(),
  commitThenDrop: z.boolean().optional(),
  endpoint: FaultEndpointSchema.optional(),
  clear: z.boolean().optional(),
});

/**
 * Applies a `POST /_emulator/faults` body (checked against {@link FaultRequestSchema}) to the table: `clear`
 * first, then the fault for `endpoint` (default `*`) when it sets anything. Returns every fault now set.
 */
export function applyFaultRequest(table: FaultTable, req: z.infer<typeof FaultRequestSchema>): Record<string, Fault> {
  const { endpoint, clear, ...rest } = req;
  if (clear) table.clear();
  const fault: Fault = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  if (Object.keys(fault).length > 0) table.set(endpoint ?? '*', fault);
  return table.list();
}

/** The request header that sets a fault for that one request (JSON, the {@link Fault} fields). */
export const FAULT_HEADER = 'x-emulator-fault';

const OneRequestFaultSchema = FaultRequestSchema.omit({ endpoint: true, clear: true });

/**
 * Faults by endpoint (one of {@link FAULT_ENDPOINTS}: the route path without its
 * leading `/api/v1/loyalty/` (or `/`), or `*` for all). A per-endpoint fault
 * wins over `*`. `/_emulator/*` is never faulted.
 */
export class FaultTable {
  private readonly byEndpoint = new Map<FaultEndpoint, Fault>();

  set(endpoint: FaultEndpoint, fault: Fault): void {
    this.byEndpoint.set(endpoint, fault);
  }

  clear(): void {
    this.byEndpoint.clear();
  }

  /** The fault for an endpoint: its own, else `*`. */
  forEndpoint(endpoint: FaultEndpoint): Fault | undefined {
    return this.byEndpoint.get(endpoint) ?? this.byEndpoint.get('*');
  }

  /** True when no fault is set (the hook's fast path). */
  get empty(): boolean {
    return this.byEndpoint.size === 0;
  }

  list(): Record<string, Fault> {
    return Object.fromEntries(this.byEndpoint);
  }
}

/** The fault endpoint of a route pattern (see {@link FAULT_ENDPOINTS}); undefined for a route the list does not name. */
export function endpointOf(routeUrl: string): FaultEndpoint | undefined {
  const name = routeUrl.replace(/^\/api\/v1\/loyalty\//, '').replace(/^\//, '').replace(/\/$/, '');
  return isFaultEndpoint(name) ? name : undefined;
}

/**
 * Refuses a host route that has no name in FAULT_ENDPOINTS (a fault could not single it out), at start; the
 * emulator's own `/_emulator` routes are never faulted.
 */
export function assertFaultEndpoint(routeUrl: string): void {
  if (routeUrl === '/_emulator' || routeUrl.startsWith('/_emulator/')) return;
  if (endpointOf(routeUrl) === undefined) {
    throw new Error(`route ${routeUrl} has no fault endpoint: add it to FAULT_ENDPOINTS (faultEndpoints.ts)`);
  }
}

const codeForStatus = (status: number): LoyaltyErrorCode =>
  status === 503 ? 'E34' : status === 504 ? 'E20' : status === 502 ? 'E19' : status >= 500 ? 'L96' : 'E37';

/** Requests marked to be dropped after their ledger commit. */
const dropAfterCommit = new WeakSet<FastifyRequest>();

/** Marks a request so {@link finish} drops the connection instead of answering. */
export function markCommitThenDrop(req: FastifyRequest): void {
  dropAfterCommit.add(req);
}

/**
 * Sends a route's answer, unless the request is marked commit-then-drop: then
 * the reply is hijacked and the socket destroyed, so the client sees the
 * connection close after the host has committed.
 */
export function finish(req: FastifyRequest, reply: FastifyReply, status: number, body: unknown): FastifyReply {
  if (dropAfterCommit.has(req)) {
    reply.hijack();
    req.raw.socket.destroy();
    return reply;
  }
  return reply.code(status).send(body);
}

/**
 * onRequest hook applying the fault table. `delay` is the host's cancellable
 * sleep (so closing the host does not wait for a long latency).
 */
export function createFaultHook(table: FaultTable, delay: (ms: number) => Promise<void>) {
  const apply = async (req: FastifyRequest, reply: FastifyReply, fault: Fault): Promise<FastifyReply | undefined> => {
    if (fault.latencyMs) await delay(fault.latencyMs);
    if (fault.drop) {
      reply.hijack();
      req.raw.socket.destroy();
      return reply;
    }
    if (fault.status !== undefined) return sendError(reply, codeForStatus(fault.status), undefined, fault.status);
    if (fault.commitThenDrop) markCommitThenDrop(req);
    return undefined;
  };
  // Callback style, so a request with no fault set costs no promise.
  return (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    const header = req.headers[FAULT_HEADER];
    if (table.empty && header === undefined) return done();
    const route = req.routeOptions.url;
    if (route === undefined || route.startsWith('/_emulator')) return done();
    let fault: Fault | undefined;
    if (header !== undefined) {
      // A fault for this request only; it wins over the table.
      const parsed = typeof header === 'string' ? parseFaultHeader(header) : undefined;
      if (parsed === undefined) {
        sendError(reply, 'E37', `${FAULT_HEADER} must be one JSON object with latencyMs, status (400-599), drop or commitThenDrop`, 400);
        return;
      }
      fault = parsed;
    } else {
      fault = table.forEndpoint(endpointOf(route) ?? '*');
    }
    if (!fault) return done();
    apply(req, reply, fault).then((sent) => {
      if (sent === undefined) done();
    }, done);
  };
}

function parseFaultHeader(text: string): Fault | undefined {
  try {
    const r = OneRequestFaultSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
