/**
 * protocol/: pure code shared by the agent and the emulator (no I/O, timers or globals).
 * This index holds the top-level pieces; each sub-folder has its own index:
 * `iso8583/`, `loyalty/`, `offers/`, `reader/`.
 */
export * from './backoff.js';
export * from './cardRef.js';
export * from './clock.js';
export * from './errors.js';
export * from './luhn.js';
export * from './pan.js';
export * from './percentile.js';
