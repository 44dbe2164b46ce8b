/** The fleet's pure figures, shared with the console (the fleet itself is `pos-emulator fleet`, main.ts). */
export { refusalAfterYes, REFUSALS_AFTER_YES, type DeadItem, type RefusalAfterYes } from './refusalAfterYes.js';
export { heardFigures, type HeardFigures } from './heardFigures.js';
