import type { CardSource } from '../cardSources/index.js';
import type { Health } from './agentControl.js';

/** What health reads: the card source's state, the forwarder's view of the host, the queue's counts and storage state. */
export interface HealthSources {
  reader: Pick<CardSource, 'state'>;
  forwarder: { readonly online: boolean };
  queue: { readonly fault: { code: string } | undefined; stats(): { pending: number; sending: number; dead: number; oldestPendingAgeS: number } };
}

/**
 * `GET /v1/health` (DESIGN.md): `ok` (200) when the terminal can take sales,
 * offline included within its rules; `unavailable` (503) with the reasons
 * when it cannot: the reader disconnected, or the queue not writable (a full
 * disk, an I/O error, a damaged file) or not readable.
 */
export function agentHealth({ reader, forwarder, queue }: HealthSources): Health {
  const reasons: string[] = [];
  if (reader.state !== 'connected') reasons.push('reader-disconnected');
  if (queue.fault) reasons.push(`queue-not-writable:${queue.fault.code}`);
  let s: ReturnType<HealthSources['queue']['stats']> | undefined;
  try {
    s = queue.stats();
  } catch (err) {
    reasons.push(`queue-not-readable:${String((err as { code?: unknown }).code ?? 'unknown')}`);
  }
  return {
    status: reasons.length === 0 ? 'ok' : 'unavailable',
    reasons,
    reader: reader.state,
    host: forwarder.online ? 'online' : 'offline',
    queue: { pending: s ? s.pending + s.sending : 0, dead: s?.dead ?? 0, oldestAgeS: s?.oldestPendingAgeS ?? 0 },
  };
}
