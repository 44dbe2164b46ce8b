/** The host emulator's REST route groups, each a fastify plugin. */
export { catalogRoutes } from './catalogRoutes.js';
export { emulatorRoutes } from './emulatorRoutes.js';
export { rewardRoutes } from './rewardRoutes.js';
export { returnRoutes } from './returnRoutes.js';
export { tokenRoute } from './tokenRoute.js';
export { transactionRoutes } from './transactionRoutes.js';
