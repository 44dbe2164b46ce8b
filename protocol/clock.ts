/**
 * Milliseconds since the Unix epoch. The one clock shape of both programs: every
 * part that reads time takes one, so tests can move it. (The real one is `Date.now`.)
 */
export type Clock = () => number;
