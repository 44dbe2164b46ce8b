/**
 * The stages of a card operation, in the order the POS API's Server-Timing
 * header lists them:
 * - `arm`: the POS request arrived → the arm command written to the reader;
 * - `card`: the card frame's first byte → the card parsed and in the checkout's hands;
 * - `balance`: the balance round trip (with the check that the card has no older queued work);
 * - `durable`: the burn's durable write (it runs while the balance call is in flight);
 * - `burn`: the burn round trip;
 * - `commit`: the commit of the approval with its answer;
 * - `answer`: the flow's end → the answer serialized and handed to the socket.
 */
export const STAGES = ['arm', 'card', 'balance', 'durable', 'burn', 'commit', 'answer'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * Where one card operation's time went, on the agent's monotonic clock (ms,
 * `performance.now()`). Stages may overlap (`durable` runs inside
 * `balance`); a stage met twice adds up. It is reported as a W3C Server-Timing
 * header, so a POS or a benchmark sees it with the answer and no log is written.
 */
export class StageTimes {
  readonly #begun = new Map<Stage, number>();
  readonly #ms = new Map<Stage, number>();

  /** Starts `stage` at `at` (default now). */
  begin(stage: Stage, at: number = performance.now()): void {
    this.#begun.set(stage, at);
  }

  /** Ends `stage` at `at` (default now); a stage never begun is not reported. */
  end(stage: Stage, at: number = performance.now()): void {
    const from = this.#begun.get(stage);
    if (from === undefined) return;
    this.#begun.delete(stage);
    this.#ms.set(stage, (this.#ms.get(stage) ?? 0) + Math.max(0, at - from));
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
}
