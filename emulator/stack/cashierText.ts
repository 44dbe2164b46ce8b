import type { PosAnswer } from './posClient.js';

/** A POS API answer told as a cashier would say it, in one line. */
export function cashierText(method: string, path: string, answer: PosAnswer): string {
  const b = answer.body;
  if (answer.status >= 400) return refused(answer);
  const route = `${method.toUpperCase()} ${path.split('?')[0] ?? path}`;
  if (route === 'POST /v1/redemptions') return redemptionText(b);
  if (route === 'POST /v1/earnings') return earningText(b);
  if (route === 'POST /v1/checkout') return checkoutText(b);
  if (route === 'GET /v1/balance') return balanceText(b);
  if (route === 'GET /v1/health') return healthText(b);
  if (route === 'POST /v1/voids' || route === 'POST /v1/returns') return reversalText(route === 'POST /v1/voids' ? 'Void' : 'Return', b);
  if (route === 'POST /v1/queue/flush') return flushText(b);
  return typeof b.status === 'string' ? `Answer: ${b.status}.` : 'Done.';
}

/** Minor units as a price: 2500 → "25.00". */
export function money(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const REASONS: Record<string, string> = {
  'no-card': 'no card was swiped in time',
  'reader-disconnected': 'the card reader is unplugged',
  'reader-unavailable': 'the card reader did not answer',
  'insufficient-points': 'not enough points on the card',
  'unknown-card': 'the card is not in the loyalty programme',
  'expired-card': 'the card has expired',
  'host-unreachable': 'the loyalty host cannot be reached',
  'host-timeout': 'the loyalty host did not answer in time',
  'deadline-passed': 'the time for this sale ran out before the points could be sent; nothing was sent',
  'stale-balance-enquiry': 'the balance was read too long ago; try again',
  'no-answer-reversed': 'the host did not answer, so the burn is being reversed',
  'no-answer-queued': 'the host did not answer; the operation waits in the queue',
};

/** A stable reason code in words (`insufficient-points` → "not enough points on the card"). */
export function reasonText(reason: unknown): string {
  if (typeof reason !== 'string' || reason === '') return 'no reason given';
  if (REASONS[reason]) return REASONS[reason];
  if (reason.startsWith('card-invalid')) return 'the card could not be read (swipe again)';
  if (reason.startsWith('offline-')) return `offline limit reached (${reason.replace(/^offline-/, '').replaceAll('-', ' ')})`;
  return reason.replaceAll('-', ' ');
}

const cardOf = (b: Record<string, unknown>): string => {
  const card = b.card as { pan?: unknown } | undefined;
  return typeof card?.pan === 'string' ? ` card ${card.pan}` : '';
};
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function refused(a: PosAnswer): string {
  const error = a.body.error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === 'string' ? error.code : String(a.status);
  if (code === 'reader-busy') return 'Wait: the reader is busy with another sale.';
  if (code === 'reference-conflict') return 'Refused: this sale number was already used for something else.';
  if (code === 'operation-in-progress') return 'Wait: this sale is still being processed.';
  return `Refused (${a.status} ${code}): ${typeof error?.message === 'string' ? error.message : 'see the raw answer'}.`;
}

function redemptionText(b: Record<string, unknown>): string {
  const points = num(b.debited);
  if (b.status === 'approved') {
    if (b.queued === true) return `Approved offline: ${points} points from${cardOf(b)}; sent to the host when it is back.`;
    const left = typeof b.balanceAfter === 'number' ? `; ${b.balanceAfter} points left` : '';
    return `Approved: ${points} points redeemed from${cardOf(b)}${left}.`;
  }
  if (b.status === 'declined') return `Declined${cardOf(b) ? ` for${cardOf(b)}` : ''}: ${reasonText(b.reason)}.`;
  if (b.status === 'timeout') return `Not done: ${reasonText(b.reason)}. Nothing was charged; try again.`;
  return `Not available: ${reasonText(b.reason)}. Nothing was charged.`;
}

function earningText(b: Record<string, unknown>): string {
  if (b.status === 'accepted') {
    return b.queued === true
      ? `Points will be credited to${cardOf(b)}: saved on this terminal, sent when the host is back.`
      : `Points credited to${cardOf(b)}.`;
  }
  return `Not done: ${reasonText(b.reason)}. Try again.`;
}

function checkoutText(b: Record<string, unknown>): string {
  if (typeof b.amountDue !== 'number') return `Not done: ${reasonText(b.reason)}. Try again.`;
  const parts: string[] = [];
  const offer = b.offer as { status?: unknown; displayText?: unknown; benefit?: unknown; type?: unknown } | undefined;
  if (offer?.status === 'applied') parts.push(`offer "${String(offer.displayText ?? '')}" (${money(num(offer.benefit))} ${offer.type === 'discount' ? 'off' : 'back'})`);
  else if (offer?.status === 'available') parts.push(`an offer is available (${String(offer.displayText ?? '')})`);
  const r = b.redemption as Record<string, unknown> | null;
  if (r) parts.push(r.status === 'approved' ? `${num(r.debited)} points redeemed` : `points not redeemed (${reasonText(r.reason)})`);
  const e = b.earning as Record<string, unknown> | null;
  if (e) parts.push(e.status !== 'accepted' ? 'points not credited (not recorded: record the earning again)' : e.queued === true ? 'points to be credited when the host is back' : 'points credited');
  return `Checkout ${money(num(b.amount))},${cardOf(b)}: ${parts.length > 0 ? parts.join('; ') : 'nothing to apply'}. To pay: ${money(b.amountDue)}.`;
}

function balanceText(b: Record<string, unknown>): string {
  if (b.status !== 'ok') return `No balance: ${reasonText(b.reason)}.`;
  const accounts = (b.accounts as { availableBalance?: unknown }[] | undefined) ?? [];
  const total = accounts.reduce((s, a) => s + num(a.availableBalance), 0);
  return `${cardOf(b).trim() || 'The card'} has ${total} points${accounts.length > 1 ? ` in ${accounts.length} accounts` : ''}.`;
}

function healthText(b: Record<string, unknown>): string {
  const q = (b.queue as { pending?: unknown; dead?: unknown } | undefined) ?? {};
  const waiting = num(q.pending);
  const ready = b.status === 'ok' ? 'Terminal ready' : `Terminal cannot take sales (${((b.reasons as string[] | undefined) ?? []).join(', ')})`;
  const host = b.host === 'online' ? 'host online' : 'host offline';
  const queue = waiting === 0 ? 'nothing waiting to be sent' : `${waiting} operation${waiting === 1 ? '' : 's'} waiting to be sent`;
  return `${ready}; ${host}; ${queue}${num(q.dead) > 0 ? `; ${num(q.dead)} failed (see the queue)` : ''}.`;
}

function reversalText(what: string, b: Record<string, unknown>): string {
  const status = typeof b.status === 'string' ? b.status : 'done';
  const reason = typeof b.reason === 'string' ? `: ${reasonText(b.reason)}` : '';
  return `${what} ${status}${reason}.`;
}

function flushText(b: Record<string, unknown>): string {
  const f = (b.flushed as { sent?: unknown; failed?: unknown; dead?: unknown } | undefined) ?? {};
  return `Sent ${num(f.sent)} waiting operation(s); ${num(f.failed)} could not be sent, ${num(f.dead)} failed for good.`;
}
