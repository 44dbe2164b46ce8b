import type { QueuedOperation } from '../queue/index.js';

/** A queued operation as the POS API shows it: masked PAN, times as ISO 8601 (never epoch milliseconds). */
export type QueueItemView = Omit<QueuedOperation, 'createdAt' | 'nextDueAt' | 'sentAt' | 'updatedAt'> & {
  createdAt: string;
  nextDueAt: string;
  sentAt: string | null;
  updatedAt: string;
};

export function queueItemView(op: QueuedOperation): QueueItemView {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    ...op,
    createdAt: iso(op.createdAt),
    nextDueAt: iso(op.nextDueAt),
    sentAt: op.sentAt === null ? null : iso(op.sentAt),
    updatedAt: iso(op.updatedAt),
  };
}
