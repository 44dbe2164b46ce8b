/** Loyalty REST contract: types, error catalog, error body, refusal kinds, identifiers, request signing. Pure. */
export * from './contract.js';
export * from './errorCatalog.js';
export * from './errorBody.js';
export * from './refusalKind.js';
export * from './refusalTable.js';
export * from './identifier.js';
export * from './signature.js';
export * from './mandate.js';
export * from './localTimeStamp.js';
export * from './responseSchemas.js';
export * from './proRata.js';
