import type { Clock } from '../../protocol/index.js';

export type { Clock };

/** The real clock. */
export const systemClock: Clock = () => Date.now();
