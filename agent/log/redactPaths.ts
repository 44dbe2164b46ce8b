/** Card fields, anywhere pino's redaction can name them (top level, one and two levels down, HTTP headers). */
const CARD_FIELDS = ['pan', 'PAN', 'track1', 'track2', 'track', 'tracks', 'expiry', 'expiryDate', 'expirydate', 'exp_month', 'exp_year', 'cardNumber'];

/**
 * The pino `redact` paths: every card field at the top level, one level down
 * (`*.pan`) and two levels down (`*.*.pan`), plus request headers (`authorization`
 * included), the host's client secret and the POS API token. Values are replaced by `[redacted]`.
 */
export const REDACT_PATHS: readonly string[] = [
  ...CARD_FIELDS,
  ...CARD_FIELDS.map((f) => `*.${f}`),
  ...CARD_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.pan',
  'req.headers.expirydate',
  'req.headers.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  // The POS API bearer token (api.tokenFile): never written, wherever a config or an option carries it.
  'token',
  '*.token',
  '*.*.token',
  'apiToken',
  '*.apiToken',
];

export const REDACT_CENSOR = '[redacted]';
