import { shownOperation, type QueuedOperation, type ShownOperation } from '../queue/index.js';

/**
 * A queued operation as the POS API shows it: masked PAN, and every time
 * written with separators (ISO 8601; the seed's YYYYMMDDhhmmss `timeStamp` as
 * `YYYY-MM-DD hh:mm:ss`), so no long digit run can be mistaken for a card number.
 */
export type QueueItemView = Omit<ShownOperation, 'payload' | 'createdAt' | 'nextDueAt' | 'sentAt' | 'updatedAt'> & {
  payload: unknown;
  createdAt: string;
  nextDueAt: string;
  sentAt: string | null;
  updatedAt: string;
};

export function queueItemView(queued: QueuedOperation): QueueItemView {
  const iso = (ms: number) => new Date(ms).toISOString();
  const op = shownOperation(queued);
  return {
    ...op,
    payload: payloadView(op.payload),
    createdAt: iso(op.createdAt),
    nextDueAt: iso(op.nextDueAt),
    sentAt: op.sentAt === null ? null : iso(op.sentAt),
    updatedAt: iso(op.updatedAt),
  };
}

/** The payload with its times spelled with separators: the seed's timeStamp, a reversal's originalSentAt (epoch ms). */
function payloadView(p: ShownOperation['payload']): unknown {
  if ('timeStamp' in p) return { ...p, timeStamp: spacedTimeStamp(p.timeStamp) };
  if ('originalSentAt' in p && p.originalSentAt !== undefined) return { ...p, originalSentAt: new Date(p.originalSentAt).toISOString() };
  return p;
}

/** YYYYMMDDhhmmss → `YYYY-MM-DD hh:mm:ss`. */
function spacedTimeStamp(t: string): string {
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}
