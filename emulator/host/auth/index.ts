/** The host's authentication: OAuth client tokens, signed requests and their nonces. */
export { createAuthHook, authenticatedClient, signedUrl, type AuthDeps } from './auth.js';
export { TokenStore, DEFAULT_CLIENT, TOKEN_TTL_S, type ClientCredentials } from './tokenStore.js';
export { NonceCache } from './nonceCache.js';
