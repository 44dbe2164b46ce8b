import type { Clock } from '../../protocol/clock.js';

export type { Clock };

/** The real clock. */
export const systemClock: Clock = () => Date.now();
