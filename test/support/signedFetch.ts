/**
 * A small signed-request client for tests and benchmarks: fetches a token
 * from the host, then sends requests with the DESIGN.md authentication
 * headers built by protocol/loyalty's signing. Every header can be omitted or
 * overridden, so tests can provoke each E2x code.
 */
import { randomBytes } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { signRequest } from '../../protocol/loyalty/signature.js';

/** The seed's sample client. */
export const SAMPLE_CLIENT = { clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret' } as const;

export interface SignedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
  text: string;
}

type AuthHeader = 'Authorization' | 'Timestamp' | 'Nonce' | 'SignatureMethod' | 'Signature';

export interface SignedRequest {
  /** Default GET. */
  method?: string;
  /** Path and query, e.g. `/api/v1/loyalty/rewards?transactionId=1`. */
  path: string;
  /** JSON-encoded unless a string (sent as is, with `application/json`). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: 32 random hex characters. */
  nonce?: string;
  /** Unix seconds. Default: `now()` of the fetcher. */
  timestamp?: number | string;
  /** Headers to leave out. */
  omit?: AuthHeader[];
  /** Overrides any auth header after signing (e.g. a wrong Signature). */
  override?: Partial<Record<AuthHeader, string>>;
}

export interface FetcherOptions {
  baseUrl: string;
  token: string;
  clientId?: string;
  clientSecret?: string;
  /** Epoch ms for the Timestamp header. Default Date.now (pass the host's clock when it is faked). */
  now?: () => number;
  dispatcher?: Dispatcher;
}

export type SignedFetch = (req: SignedRequest) => Promise<SignedResponse>;

const readBody = async (res: Dispatcher.ResponseData): Promise<SignedResponse> => {
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.statusCode, headers: res.headers, body, text };
};

/** A random 32-hex-character nonce. */
export const newNonce = (): string => randomBytes(16).toString('hex');

/** Gets a bearer token with client credentials (the seed's sample client by default). */
export async function fetchToken(baseUrl: string, opts: { clientId?: string; clientSecret?: string; dispatcher?: Dispatcher } = {}): Promise<string> {
  const id = opts.clientId ?? SAMPLE_CLIENT.clientId;
  const secret = opts.clientSecret ?? SAMPLE_CLIENT.clientSecret;
  const res = await request(`${baseUrl}/passport/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  });
  const r = await readBody(res);
  if (r.status !== 200) throw new Error(`token request failed: ${r.status} ${r.text}`);
  return (r.body as { access_token: string }).access_token;
}

/** Builds the signed headers of a request. */
export function authHeaders(opts: FetcherOptions, req: SignedRequest): Record<string, string> {
  const method = (req.method ?? 'GET').toUpperCase();
  const timestamp = String(req.timestamp ?? Math.floor((opts.now ?? Date.now)() / 1000));
  const nonce = req.nonce ?? newNonce();
  const all: Record<AuthHeader, string> = {
    Authorization: `Bearer ${opts.token}`,
    Timestamp: timestamp,
    Nonce: nonce,
    SignatureMethod: 'SHA512',
    Signature: signRequest({
      method,
      url: opts.baseUrl + req.path,
      timestamp,
      nonce,
      clientId: opts.clientId ?? SAMPLE_CLIENT.clientId,
      clientSecret: opts.clientSecret ?? SAMPLE_CLIENT.clientSecret,
    }),
    ...req.override,
  };
  for (const k of req.omit ?? []) delete all[k];
  return all;
}

/** A fetcher that signs every request. */
export function signedFetcher(opts: FetcherOptions): SignedFetch {
  return async (req) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = { ...authHeaders(opts, req), ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await request(opts.baseUrl + req.path, {
      method: method as Dispatcher.HttpMethod,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    return readBody(res);
  };
}

/** Token + fetcher in one call. */
export async function signedClient(baseUrl: string, opts: Omit<FetcherOptions, 'baseUrl' | 'token'> = {}): Promise<SignedFetch> {
  const token = await fetchToken(baseUrl, opts);
  return signedFetcher({ ...opts, baseUrl, token });
}
