import { maskPanLike } from '../../protocol/index.js';
import { refusalOfRestCode } from '../../protocol/loyalty/index.js';
import { HostError } from './hostClient.js';

/**
 * Failures that happen before a single byte of the request is written: the
 * TCP connect (refused, timed out, unreachable, DNS) or the TLS handshake
 * (certificate not trusted). undici connects (and finishes TLS) before it
 * writes a request, so these mean the host never saw it.
 */
const NOT_SENT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INVALID_ARG',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** Error code of a transport error (undici or Node), looking one level into `cause`. */
export function transportCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return 'UNKNOWN';
}

/**
 * Maps a transport error to a {@link HostError}, telling "never sent" from
 * "sent, no answer":
 * - connect/DNS/TLS failures → `not-sent` (`HOST_ERR_CONNECT`);
 * - everything after the request was written — headers or body timeout
 *   (`UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT`), the socket closed or
 *   reset (`UND_ERR_SOCKET`, `ECONNRESET`, `EPIPE`), a garbled response
 *   (`HPE_*`) — and anything unrecognised → `unknown` (`HOST_ERR_TIMEOUT`,
 *   or `HOST_ERR_PROTOCOL` for a garbled answer). Unknown is the safe default:
 *   a burn with an unknown outcome gets a reversal, which is idempotent.
 */
export function transportError(op: string, err: unknown): HostError {
  const code = transportCode(err);
  if (NOT_SENT_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return new HostError('HOST_ERR_CONNECT', `${op}: could not reach the host (${code}); the request was not sent`, { outcome: 'not-sent', cause: err });
  }
  if (code.startsWith('HPE_')) {
    return new HostError('HOST_ERR_PROTOCOL', `${op}: the host sent a malformed HTTP response (${code}); the outcome is unknown`, { outcome: 'unknown', cause: err });
  }
  const what = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'no answer in time' : 'the connection broke before the answer';
  return new HostError('HOST_ERR_TIMEOUT', `${op}: request sent, ${what} (${code}); the outcome is unknown`, { outcome: 'unknown', cause: err });
}

/** The seed's error body, or the token endpoint's failure body, read loosely. */
function hostErrorItem(body: unknown): { code: string; message: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { error?: { code?: unknown; message?: unknown }; errors?: unknown; code?: unknown; description?: unknown };
  if (b.error !== undefined && typeof b.error.code === 'string') return { code: b.error.code, message: typeof b.error.message === 'string' ? b.error.message : '' };
  if (Array.isArray(b.errors)) {
    const first = b.errors[0] as { code?: unknown; message?: unknown } | undefined;
    if (typeof first?.code === 'string') return { code: first.code, message: typeof first.message === 'string' ? first.message : '' };
  }
  if (typeof b.code === 'string') return { code: b.code, message: typeof b.description === 'string' ? b.description : '' };
  return undefined;
}

/**
 * Maps a non-2xx answer to a {@link HostError} carrying the host's code and
 * its kind (`refusal`, from the REST side of the refusal table):
 * - 401/403 and the seed's authentication codes (E12, E13, E22–E30: kind `not-authorized`) →
 *   `HOST_ERR_AUTH`, outcome `failed`: the host refused at the door, so the
 *   operation was not applied, and it is worth retrying once the credentials
 *   or the clock are fixed (never dead-lettered for a config mistake);
 * - 408 and 429 → `failed` (retry later);
 * - other 4xx → `HOST_ERR_REJECTED`, outcome `rejected` (do not retry);
 * - 502 and 504 (a gateway lost the upstream answer) → `unknown`;
 * - other 5xx → `HOST_ERR_SERVER`, outcome `failed`.
 */
export function responseError(op: string, status: number, body: unknown): HostError {
  const item = hostErrorItem(body);
  const hostCode = item?.code;
  const said = item === undefined ? '' : `: ${hostCode}${item.message === '' ? '' : ` ${maskPanLike(item.message).slice(0, 200)}`}`;
  const refusal = hostCode === undefined ? undefined : refusalOfRestCode(hostCode);
  const base = { status, ...(hostCode === undefined ? {} : { hostCode, refusal }) };
  if (status === 401 || status === 403 || refusal === 'not-authorized') {
    return new HostError('HOST_ERR_AUTH', `${op}: the host refused the credentials or signature (HTTP ${status}${said})`, { outcome: 'failed', ...base });
  }
  if (status === 408 || status === 429) {
    return new HostError('HOST_ERR_SERVER', `${op}: the host asked to retry later (HTTP ${status}${said})`, { outcome: 'failed', ...base });
  }
  if (status >= 400 && status < 500) {
    return new HostError('HOST_ERR_REJECTED', `${op}: the host refused the request (HTTP ${status}${said})`, { outcome: 'rejected', ...base });
  }
  if (status === 502 || status === 504) {
    return new HostError('HOST_ERR_SERVER', `${op}: a gateway lost the host's answer (HTTP ${status}${said}); the outcome is unknown`, { outcome: 'unknown', ...base });
  }
  return new HostError('HOST_ERR_SERVER', `${op}: the host failed (HTTP ${status}${said})`, { outcome: 'failed', ...base });
}
