import type { HeardStep } from './fleetTerminal.js';
import { refusalAfterYes, type DeadItem } from './refusalAfterYes.js';

/** A ledger entry as `GET /_emulator/ledger` shows it (the fields the check reads). */
export interface LedgerEntryView {
  transactionId: string;
  kind: 'burn' | 'earn' | 'reversal';
  points: number;
  terminalId: string | null;
  /** ISO 8601. */
  time: string;
}

export interface Reconciliation {
  violations: string[];
  /**
   * What the POS heard approved or accepted that the host refused later, kept as dead-letter items (an offline
   * burn the points no longer cover, an earning for a card the host does not know): the risk the offline
   * limits bound, listed, not lost.
   */
  offlineDeclined: string[];
  checked: { approvedBurns: number; otherBurns: number; earnings: number };
}

/**
 * Checks what every POS heard against the host's ledger (DESIGN.md,
 * "pos-emulator fleet"): every approved burn debited exactly once and never
 * reversed; every burn not approved nets to zero; every accepted earning
 * credited exactly once; nothing debited or credited on these terminals that
 * no POS was told about. `hostId` maps an agent transactionId to the one the
 * host keeps (DE37 on the ISO link).
 */
/**
 * The host refusals that may dead-letter what a POS heard yes to: unknown or expired card, bad identifier, points
 * spent meanwhile (by the refusal the queue kept, not by its dead reason's text).
 */
const expectedRefusal = (dead: DeadItem): boolean =>
  dead.refusal === 'invalid-identifier' || ['unknown-card', 'expired-card', 'insufficient-points'].includes(refusalAfterYes(dead));

export function reconcile(
  steps: readonly HeardStep[],
  entries: readonly LedgerEntryView[],
  offlineDeclined: ReadonlyMap<string, DeadItem>,
  terminals: ReadonlySet<string>,
  hostId: (transactionId: string) => string,
): Reconciliation {
  const byTxn = new Map<string, LedgerEntryView[]>();
  for (const e of entries) {
    const list = byTxn.get(e.transactionId);
    if (list) list.push(e);
    else byTxn.set(e.transactionId, [e]);
  }
  const net = (id: string) => (byTxn.get(id) ?? []).filter((e) => e.kind !== 'earn').reduce((s, e) => s + e.points, 0);
  const violations: string[] = [];
  const risk: string[] = [];
  const approved = new Set<string>();
  const accepted = new Set<string>();
  let otherBurns = 0;
  for (const s of steps) {
    if (s.transactionId === '') continue;
    const id = hostId(s.transactionId);
    if (s.kind === 'burn' && s.status === 'approved') {
      approved.add(id);
      const dead = offlineDeclined.get(s.transactionId);
      if (dead !== undefined) {
        const refused = dead.deadReason ?? '';
        if (!expectedRefusal(dead)) violations.push(`approved offline burn dead-lettered for an unexpected reason: ${s.terminalId} ${s.reference} ${s.transactionId}: ${refused}`);
        else if (net(id) !== 0) violations.push(`approved offline burn refused later, yet the ledger nets ${net(id)}: ${s.transactionId}`);
        else risk.push(`${s.terminalId} ${s.reference} burn ${s.transactionId} (${s.points} points, approved offline; ${refused.slice(0, 60)})`);
        continue;
      }
      const lines = byTxn.get(id) ?? [];
      if (net(id) !== -(s.points ?? 0) || lines.some((e) => e.kind === 'reversal')) {
        violations.push(`approved burn not debited exactly once: ${s.terminalId} ${s.reference} ${s.transactionId} heard ${s.points} points, ledger ${JSON.stringify(lines.map((e) => [e.kind, e.points]))}`);
      }
    } else if (s.kind === 'burn') {
      otherBurns++;
      if (net(id) !== 0) violations.push(`burn not approved but debited: ${s.terminalId} ${s.reference} ${s.transactionId} (${s.status} ${s.reason ?? ''}) nets ${net(id)}`);
    } else if (s.kind === 'earn' && s.status === 'accepted') {
      accepted.add(id);
      const dead = offlineDeclined.get(s.transactionId);
      if (dead !== undefined) {
        const refused = dead.deadReason ?? '';
        const credits = (byTxn.get(id) ?? []).filter((e) => e.kind === 'earn').length;
        if (!expectedRefusal(dead)) violations.push(`accepted earning dead-lettered for an unexpected reason: ${s.terminalId} ${s.reference} ${s.transactionId}: ${refused}`);
        else if (credits !== 0) violations.push(`accepted earning refused later, yet credited ${credits} times: ${s.transactionId}`);
        else risk.push(`${s.terminalId} ${s.reference} earning ${s.transactionId} (accepted; refused later: ${refused.slice(0, 60)})`);
        continue;
      }
      const credits = (byTxn.get(id) ?? []).filter((e) => e.kind === 'earn').length;
      if (credits !== 1) violations.push(`accepted earning credited ${credits} times: ${s.terminalId} ${s.reference} ${s.transactionId}`);
    }
  }
  // Nothing on these terminals that no POS heard of.
  for (const [id, lines] of byTxn) {
    if (!lines.some((e) => e.terminalId !== null && terminals.has(e.terminalId))) continue;
    if (lines.some((e) => e.kind === 'burn') && !approved.has(id) && net(id) !== 0) {
      violations.push(`debit no POS was told was approved: ${id} nets ${net(id)}`);
    }
    if (lines.some((e) => e.kind === 'earn') && !accepted.has(id)) violations.push(`credit no POS was told was accepted: ${id}`);
  }
  return { violations, offlineDeclined: risk, checked: { approvedBurns: approved.size, otherBurns, earnings: accepted.size } };
}
