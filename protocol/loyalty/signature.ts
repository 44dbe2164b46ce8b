import { createHash } from 'node:crypto';

/** The only `SignatureMethod` the host accepts. */
export const SIGNATURE_METHOD = 'SHA512';

/** How far a request's `Timestamp` may be from the host's clock: 30 minutes (E24). */
export const MAX_SKEW_S = 30 * 60;

/** A `Nonce` is exactly 32 hexadecimal characters. */
export const NONCE_RE = /^[0-9a-fA-F]{32}$/;

/**
 * Percent-encodes a string per RFC 3986 section 2: every byte of its UTF-8
 * form is written as `%XX` (upper-case hex) except the unreserved characters
 * `A-Z a-z 0-9 - . _ ~`. So `:` → `%3A`, `/` → `%2F`, `?` → `%3F`, `=` → `%3D`,
 * `&` → `%26`, space → `%20` (never `+`), and `%` → `%25`.
 */
export function percentEncode(input: string): string {
  return encodeURIComponent(input).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface SignInput {
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** The full URL the client requests: scheme://host[:port]/path[?query], exactly as sent. */
  url: string;
  /** Unix seconds, as sent in the `Timestamp` header. */
  timestamp: number | string;
  /** 32 hex characters, as sent in the `Nonce` header. */
  nonce: string;
  clientId: string;
  clientSecret: string;
}

/**
 * The string that is hashed:
 * `METHOD&percentEncode(url)&Timestamp&Nonce&clientId&clientSecret`.
 */
export function signatureBase(input: SignInput): string {
  return [input.method.toUpperCase(), percentEncode(input.url), String(input.timestamp), input.nonce, input.clientId, input.clientSecret].join('&');
}

/** `Signature` header value: base64(SHA-512(signatureBase(input))). */
export function signRequest(input: SignInput): string {
  return createHash('sha512').update(signatureBase(input), 'utf8').digest('base64');
}

/** The authentication headers of one request (DESIGN.md, Authentication). */
export interface SignedHeaders {
  Authorization: string;
  Timestamp: string;
  Nonce: string;
  SignatureMethod: string;
  Signature: string;
}

/** Builds every authentication header for a request. Caller supplies time and nonce (this module is pure). */
export function signedHeaders(input: SignInput & { token: string }): SignedHeaders {
  return {
    Authorization: `Bearer ${input.token}`,
    Timestamp: String(input.timestamp),
    Nonce: input.nonce,
    SignatureMethod: SIGNATURE_METHOD,
    Signature: signRequest(input),
  };
}
