/** A whole emulated counter in one call: {@link startCounter} (host, reader, agent), for tests and the console. */
export { startCounter } from './startCounter.js';
export type { Counter, CounterHost, CounterReader, CounterQueue, CounterFault, CounterSwipeOptions, SwipeCard } from './counter.js';
export type { CounterOptions, CounterCard, CounterOffer, CounterOfflineLimits } from './counterOptions.js';
export { CounterError, type CounterErrorCode } from './counterError.js';
export { counterFixtures } from './counterFixtures.js';
