/** Milliseconds since the Unix epoch. Injected everywhere the host reads time, so tests can move it. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
