import { pino, type Logger } from 'pino';
import { startApi } from '../../../agent/api/apiServer.js';
import type { AgentControl, Health } from '../../../agent/api/apiServer.js';
import type { PosCheckout } from '../../../agent/api/posRoutes.js';

export const HEALTHY: Health = { status: 'ok', reasons: [], reader: 'connected', host: 'online', queue: { pending: 0, dead: 0, oldestAgeS: 0 } };

/** A checkout stand-in that records what the API handed it and answers "no card". */
export function recordingCheckout(): PosCheckout & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    redeem: async (req) => {
      calls.push(['redeem', req]);
      return { status: 'timeout', transactionId: '', debited: 0, balanceAfter: null, reason: 'no-card' };
    },
    earn: async (req) => {
      calls.push(['earn', req]);
      return { status: 'timeout', reason: 'no-card' };
    },
    checkout: async (req) => {
      calls.push(['checkout', req]);
      return { status: 'timeout', reason: 'no-card' };
    },
    balance: async (req) => {
      calls.push(['balance', req]);
      return { status: 'timeout', accounts: [], reason: 'no-card' };
    },
    undo: async (req) => {
      calls.push([req.kind, req]);
      return {
        status: 'timeout', kind: req.kind, reference: req.reference, originalReference: req.originalReference, amount: 0, remaining: 0,
        refund: { status: 'none', points: 0 }, earnReversal: { status: 'none', points: 0 }, offer: { status: 'none', clawBack: 0 }, queued: false, reason: 'no-card',
      };
    },
    operation: () => undefined,
  };
}

export const control: AgentControl = { health: () => HEALTHY, listQueue: (q) => ({ q }), flushQueue: async () => ({ flushed: 0 }) };

/** The real API on a loopback port 0. */
export async function api(checkout: PosCheckout, logger: Logger = pino({ level: 'silent' })) {
  const started = await startApi({ checkout, control, logger, listen: { host: '127.0.0.1', port: 0 } });
  const call = async (method: string, path: string, body?: string, contentType = 'application/json') => {
    const res = await fetch(`${started.url}${path}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': contentType } }) });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  return { ...started, call };
}

/** The seed's error shape, as the API answers it. */
export const errorOf = (code: string, message: string) => ({ errors: [{ code, message }], error: { code, message } });
