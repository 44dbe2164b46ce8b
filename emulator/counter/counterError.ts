import { PosError } from '../../protocol/index.js';

/**
 * - `COUNTER_ERR_OPTIONS`: an option of `startCounter` is wrong (the message names it)
 * - `COUNTER_ERR_TIMEOUT`: what the counter waited for (an arm, a drained queue) did not happen in time
 * - `COUNTER_ERR_STOPPED`: the counter was used after `stop`
 */
export type CounterErrorCode = 'COUNTER_ERR_OPTIONS' | 'COUNTER_ERR_TIMEOUT' | 'COUNTER_ERR_STOPPED';

/** An error of the emulated counter ({@link startCounter}); branch on `code`. */
export class CounterError extends PosError<CounterErrorCode> {}
