import type { OperationQueue, QueuedOperation, SaleKind, SaleUndo } from '../queue/index.js';

/** What the queue keeps of a sale that a void or a return needs to undo it. */
export interface SaleRecord {
  reference: string;
  kind: SaleKind;
  /** Minor units: a checkout's or an earning's amount; a redemption's points (1 point = 1 minor unit). */
  amount: number;
  /** An operation of the sale, for its card: the void's or return's card must be the same. */
  cardOf: QueuedOperation;
  /** The burn that debited points (online and approved, or offline and not refused), if any. */
  burn: { transactionId: string; points: number } | undefined;
  /** The earning, unless the host refused it: `earnedPoints` once the host has said. */
  earn: { transactionId: string; earnedPoints: number | undefined } | undefined;
  /** The offer redemption, unless refused: the benefit the POS applied (0 if none) and the offer's minimum spend. */
  offer: { transactionId: string; redemptionId: string | undefined; type: 'discount' | 'cashback'; benefit: number; minSpend: number } | undefined;
  /** Earlier voids and returns of it. */
  undos: SaleUndo[];
}

/** Why a sale cannot be undone. */
export type SaleRefusal = { reason: 'sale-not-found' | 'not-a-sale' | 'nothing-to-undo' | 'sale-voided'; message: string };

type SaleQueue = Pick<OperationQueue, 'reference' | 'get' | 'saleUndos'>;

/**
 * Reads a sale of this terminal by its POS reference: its operations and
 * what each one did, and its earlier voids and returns. The queue keeps a
 * sale's records until retention prunes them (`queue.retainDoneS`); a sale
 * pruned, or never made here, is `sale-not-found`.
 */
export function readSale(queue: SaleQueue, reference: string, retainDoneS: number): SaleRecord | SaleRefusal {
  const rec = queue.reference(reference);
  if (!rec) {
    return {
      reason: 'sale-not-found',
      message: `no sale with reference ${reference} on this terminal: it was never made here, or its records were pruned after queue.retainDoneS (${retainDoneS} s)`,
    };
  }
  if (rec.kind === 'void' || rec.kind === 'return') return { reason: 'not-a-sale', message: `reference ${reference} is a ${rec.kind}, not a sale` };
  const ops = rec.opIds.map((id) => queue.get(id)).filter((o): o is QueuedOperation => o !== undefined);
  const body = JSON.parse(rec.body) as { amount?: number; points?: number };
  const amount = rec.kind === 'redemption' ? (body.points ?? 0) : (body.amount ?? 0);
  const undos = queue.saleUndos(reference);
  if (undos.some((u) => u.kind === 'void')) return { reason: 'sale-voided', message: `sale ${reference} was voided already` };

  let burn: SaleRecord['burn'];
  let earn: SaleRecord['earn'];
  let offer: SaleRecord['offer'];
  for (const o of ops) {
    if (o.kind === 'burn' && burnDebited(o)) burn = { transactionId: o.transactionId, points: o.payload.points };
    if (o.kind === 'earn' && applied(o)) earn = { transactionId: o.transactionId, earnedPoints: o.result !== null && 'earnedPoints' in o.result ? o.result.earnedPoints : undefined };
    if (o.kind === 'offer-redeem' && applied(o)) {
      const kept = o.state === 'done' ? redemptionOf(o) : undefined;
      const type = kept?.type === 'cashback' ? 'cashback' : 'discount';
      offer = {
        transactionId: o.transactionId,
        redemptionId: kept?.redemptionId,
        type,
        // A cashback is paid by the host once its redemption is done, whatever the till heard.
        benefit: type === 'cashback' ? (kept?.benefit ?? 0) : discountAtTheTill(rec.answer, o),
        minSpend: o.payload.minSpend ?? 0,
      };
    }
  }
  const first = ops[0];
  if (!first || (!burn && !earn && !offer)) {
    return { reason: 'nothing-to-undo', message: `sale ${reference} moved no points and redeemed no offer: there is nothing to undo` };
  }
  return { reference, kind: rec.kind, amount, cardOf: first, burn, earn, offer, undos };
}

/**
 * The discount the customer had at the sale: what the POS was told (an offer
 * `applied` in the recorded answer), not what a redemption resent later
 * achieved. Without a recorded answer (the agent stopped before it), the
 * redemption's own state, as the rebuilt answer says.
 */
function discountAtTheTill(answer: unknown, o: QueuedOperation): number {
  const told = (answer as { offer?: { status?: unknown; benefit?: unknown } } | null)?.offer;
  if (told !== undefined) return told.status === 'applied' && typeof told.benefit === 'number' ? told.benefit : 0;
  return o.state === 'done' ? (redemptionOf(o)?.benefit ?? 0) : 0;
}

/** Points left the customer's account, or will: a direct burn approved, or an offline burn not refused. */
function burnDebited(o: QueuedOperation): boolean {
  return o.offline ? o.state !== 'dead' : o.state === 'done';
}

/** Reached, or will reach, the host's books: not refused, and not abandoned before it left. */
function applied(o: QueuedOperation): boolean {
  return o.state !== 'dead' && o.state !== 'abandoned';
}

/** The host's answer kept for an offer redemption (none for a duplicate of an earlier attempt). */
function redemptionOf(o: QueuedOperation): { redemptionId: string; type: 'discount' | 'cashback'; benefit: number } | undefined {
  return o.kind === 'offer-redeem' && o.result !== null && 'redemptionId' in o.result ? o.result : undefined;
}
