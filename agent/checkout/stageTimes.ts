/**
 * The stages of a card operation, in the order the POS API's Server-Timing
 * header lists them. Each runs from the end of the one before it, so
 * together they hold all of the agent's time but the wait for the swipe:
 * - `arm`: the POS request arrived → the arm command written to the reader;
 * - `card`: the card frame's first byte → the card parsed and in the checkout's hands;
 * - `balance`: → the balance answered (with the check that the card has no older queued work);
 * - `durable`: the burn's durable write, which runs inside `balance`, while the balance call is in flight;
 * - `burn`: → the burn answered;
 * - `commit`: → the approval committed with its answer;
 * - `answer`: → the answer serialized and handed to the socket (for a flow without a burn: all after the card).
 */
export const STAGES = ['arm', 'card', 'balance', 'durable', 'burn', 'commit', 'answer'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Where one card operation's time went, on the agent's monotonic clock (ms,
 * `performance.now()`). Reported as a W3C Server-Timing header, so a POS or a
 * benchmark sees it with the answer and no log is written.
 */
export class StageTimes {
  readonly #ms = new Map<Stage, number>();
  #from: number | undefined;
  #spanFrom: number | undefined;

  /** The next stage starts at `at` (the request's arrival; the card frame's first byte). */
  startAt(at: number): void {
    this.#from = at;
  }

  /** `stage` ends now (or at `at`): it ran from the last mark; the next stage starts here. */
  mark(stage: Stage, at: number = performance.now()): void {
    if (this.#from !== undefined) this.#add(stage, at - this.#from);
    this.#from = at;
  }

  /** A stage that runs inside another (`durable`): begun and ended around its work, not a mark. */
  begin(): void {
    this.#spanFrom = performance.now();
  }

  end(stage: Stage): void {
    if (this.#spanFrom !== undefined) this.#add(stage, performance.now() - this.#spanFrom);
    this.#spanFrom = undefined;
  }

  /** The stages met so far, ms each. */
  durations(): Partial<Record<Stage, number>> {
    return Object.fromEntries(STAGES.filter((s) => this.#ms.has(s)).map((s) => [s, this.#ms.get(s)]));
  }

  /** The Server-Timing header value, e.g. `arm;dur=0.412, card;dur=0.233`; empty when no stage was met. */
  serverTiming(): string {
    return STAGES.filter((s) => this.#ms.has(s))
      .map((s) => `${s};dur=${(this.#ms.get(s) as number).toFixed(3)}`)
      .join(', ');
  }

  #add(stage: Stage, ms: number): void {
    this.#ms.set(stage, (this.#ms.get(stage) ?? 0) + Math.max(0, ms));
  }
}
