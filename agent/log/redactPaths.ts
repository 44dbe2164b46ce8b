/** Card fields, anywhere pino's redaction can name them (top level, one and two levels down, HTTP headers). */
const CARD_FIELDS = ['pan', 'PAN', 'track1', 'track2', 'track', 'tracks', 'expiry', 'expiryDate', 'expirydate', 'exp_month', 'exp_year', 'cardNumber'];

/**
 * The pino `redact` paths: every card field at the top level, one level down
 * (`*.pan`) and two levels down (`*.*.pan`), plus request headers. Values are
 * replaced by `[redacted]`.
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
  'clientSecret',
  '*.clientSecret',
];

export const REDACT_CENSOR = '[redacted]';
