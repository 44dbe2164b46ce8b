/** One POS operation of the fleet's seeded workload. */
export interface FleetOp {
  type: 'redemption' | 'earning' | 'checkout';
  reference: string;
  /** A fixture card's name (the reader emulator swipes it). */
  card: string;
  points: number;
  amount: number;
  acceptOffer: boolean;
  /** The POS sends the same request again after its answer (a double tap, a retry on a slow screen). */
  retry: boolean;
  /** The POS hangs up right after the swipe, then retries the same reference. */
  hangUp: boolean;
}

/**
 * Fixture cards with their weights: mostly good ones, and the declining ones.
 * Not `host-error` (its host never takes anything, so its earnings would wait
 * in the queue for ever and no run could drain) nor `slow` (15 s a call): the
 * chaos schedule brings 5xx and lateness to every card instead.
 */
const CARDS: readonly [string, number][] = [
  ['happy', 35],
  ['offer', 25],
  ['commit-then-drop', 12],
  ['empty', 10],
  ['expired', 9],
  ['unknown', 9],
];
const TOTAL = CARDS.reduce((s, [, w]) => s + w, 0);

/** The n-th operation of terminal `terminalId`, drawn from `random` (seeded per terminal, so a run replays). */
export function nextOp(terminalId: string, n: number, random: () => number): FleetOp {
  let pick = random() * TOTAL;
  let card = 'happy';
  for (const [name, w] of CARDS) {
    if ((pick -= w) < 0) {
      card = name;
      break;
    }
  }
  const r = random();
  const type = r < 0.4 ? 'redemption' : r < 0.75 ? 'earning' : 'checkout';
  const extra = random();
  return {
    type,
    reference: `${terminalId}-${n}`,
    card,
    points: 1 + Math.floor(random() * 40),
    amount: 100 + Math.floor(random() * 4900),
    acceptOffer: random() < 0.7,
    retry: extra < 0.1,
    hangUp: extra >= 0.1 && extra < 0.15,
  };
}
