/** One step of a POS operation as the console shows it, with the time since the step before. */
export interface TimelineStep {
  name: string;
  at: string;
  ms: number;
}

/** A POS call the console made, with what it needs to rebuild the operation's steps. */
export interface ConsoleOperation {
  id: number;
  label: string;
  reference?: string;
  startedAt: number;
  /** Index of the agent's first log line at the call's start. */
  logFrom: number;
  answeredAt?: number;
  status?: number;
  body?: Record<string, unknown>;
  cashier?: string;
}

/** A queue item's fields the timeline reads (GET /v1/queue). */
export interface QueueItemTimes {
  transactionId: string;
  kind: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string;
}

/**
 * The steps of one operation, oldest first: arm (the POS call), card (the
 * agent's read), for each host operation it started (from
 * /v1/operations/{reference}, a reversal the agent queued included) its
 * durable write, its send and its settling (commit), what the agent logged
 * about them, and the answer. Built from what the agent shows (its API and
 * its log), so it needs nothing inside the agent.
 */
export function operationTimeline(op: ConsoleOperation, log: readonly Record<string, unknown>[], transactionIds: readonly string[], items: readonly QueueItemTimes[]): TimelineStep[] {
  const raw: { name: string; at: number }[] = [{ name: 'arm: the POS asks, the agent arms the reader', at: op.startedAt }];
  const until = op.answeredAt ?? Number.POSITIVE_INFINITY;
  const ids = new Set(transactionIds);
  for (const line of log) {
    const at = Date.parse(String(line.time));
    if (!Number.isFinite(at)) continue;
    const msg = String(line.msg ?? '');
    if (at >= op.startedAt && at <= until && (msg === 'card read' || msg === 'invalid card at the reader')) {
      raw.push({ name: msg === 'card read' ? `card: ${String(line.card ?? '')}` : 'card: invalid', at });
    }
    const mine = (typeof line.transactionId === 'string' && ids.has(line.transactionId)) || (op.reference !== undefined && line.reference === op.reference);
    if (mine && msg !== 'request completed') raw.push({ name: `agent: ${msg}`, at });
  }
  for (const item of items.filter((i) => ids.has(i.transactionId))) {
    const first = item.kind === 'burn' ? 'balance read, durable write' : 'durable write';
    raw.push({ name: `${item.kind}: ${first}`, at: Date.parse(item.createdAt) });
    if (item.sentAt) raw.push({ name: `${item.kind}: sent to the host`, at: Date.parse(item.sentAt) });
    if (item.state === 'done') raw.push({ name: `${item.kind}: commit (host answered, recorded)`, at: Date.parse(item.updatedAt) });
    else if (item.state === 'dead' || item.state === 'abandoned') raw.push({ name: `${item.kind}: ${item.state}`, at: Date.parse(item.updatedAt) });
    else raw.push({ name: `${item.kind}: ${item.state} in the queue`, at: Date.parse(item.updatedAt) });
  }
  if (op.answeredAt !== undefined) raw.push({ name: `answer: ${op.status ?? ''} ${String(op.body?.status ?? (op.body?.error as { code?: string } | undefined)?.code ?? '')}`.trim(), at: op.answeredAt });
  raw.sort((a, b) => a.at - b.at);
  return raw.map((s, i) => ({ name: s.name, at: new Date(s.at).toISOString(), ms: i === 0 ? 0 : Math.max(0, s.at - (raw[i - 1]?.at ?? s.at)) }));
}
