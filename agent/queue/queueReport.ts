import type { QueuedOperation, QueueStats } from './queueTypes.js';

/** A queued operation as it is shown (the CLI's and the POS API's item): its POS reference in its payload. */
export type ShownOperation = Omit<QueuedOperation, 'reference' | 'payload' | 'unknownOutcome'> & { payload: QueuedOperation['payload'] & { reference?: string } };

/**
 * An operation as technicians and integrators have always read it: the POS
 * reference in the payload (the store keeps it once, beside the operation;
 * a reversal's payload never carried one), and why a burn died in its
 * `deadReason` text (`unknown-outcome: ...`; the store's flag is for its rules).
 */
export function shownOperation({ reference, unknownOutcome: _, ...op }: QueuedOperation): ShownOperation {
  return reference === null || op.kind === 'reversal' ? op : { ...op, payload: { ...op.payload, reference } };
}

/** The `queue status` table a technician reads at a glance. */
export function formatStatus(s: QueueStats, path: string): string {
  const accepted = s.counters.accepted;
  const sum = s.pending + s.sending + s.done + s.dead + s.abandoned + s.counters.pruned;
  const rows: [string, string][] = [
    ['queue', path],
    ['pending', String(s.pending)],
    ['sending', String(s.sending)],
    ['done', String(s.done)],
    ['dead', String(s.dead)],
    ['abandoned', `${s.abandoned} (never left the terminal)`],
    ['pruned', `${s.counters.pruned} (done or abandoned, deleted after queue.retainDoneS)`],
    ['oldest pending', s.pending + s.sending === 0 ? '-' : formatAge(s.oldestPendingAgeS)],
    ['offline burns', `${s.offline.count} (${s.offline.points} points outstanding)`],
    ['sent / retried', `${s.counters.sent} / ${s.counters.retried}`],
    ['dead / expired', `${s.counters.dead} / ${s.counters.expired} (ever)`],
    [
      'accepted',
      `${accepted} = ${s.pending} pending + ${s.sending} sending + ${s.done} done + ${s.dead} dead + ${s.abandoned} abandoned + ${s.counters.pruned} pruned ${accepted === sum ? 'OK' : `MISMATCH (sum ${sum})`}`,
    ],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}

/** One line per item: id, state, kind, masked PAN, transactionId, attempts, age, reason. */
export function formatList(ops: readonly QueuedOperation[], now: number): string {
  if (ops.length === 0) return '(no items)\n';
  const head = ['id', 'state', 'kind', 'card', 'transactionId', 'tries', 'age', 'reason / last error'];
  const rows = ops.map((o) => [
    String(o.id),
    o.state,
    o.kind + (o.offline ? ' (offline)' : ''),
    o.maskedPan,
    o.transactionId,
    String(o.attempts),
    formatAge(Math.max(0, Math.floor((now - o.createdAt) / 1000))),
    o.deadReason ?? o.lastError ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** 0s, 59s, 12m03s, 5h02m, 3d04h. */
export function formatAge(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}
