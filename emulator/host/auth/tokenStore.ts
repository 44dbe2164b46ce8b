import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';

/** The seed's sample credentials: always accepted. */
export const DEFAULT_CLIENT = { clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088', clientSecret: 'secret' } as const;

/** Token lifetime, seconds: the seed's `expires_in`. */
export const TOKEN_TTL_S = 43199;

/** An OAuth client the host accepts at `POST /passport/oauth/token`. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface IssuedToken {
  token: string;
  jti: string;
  client: ClientCredentials;
  expiresAt: number;
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** OAuth client registry and the bearer tokens issued to them (in memory: a restart logs every client out). */
export class TokenStore {
  private readonly clients = new Map<string, string>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: Clock,
    clients: readonly ClientCredentials[] = [],
  ) {
    for (const c of [DEFAULT_CLIENT, ...clients]) this.clients.set(c.clientId, c.clientSecret);
  }

  /** Checks the credentials and issues a token, or returns undefined. */
  issue(clientId: string, clientSecret: string): IssuedToken | undefined {
    const secret = this.clients.get(clientId);
    if (secret === undefined || !safeEqual(secret, clientSecret)) return undefined;
    const now = this.clock();
    if (this.tokens.size > 10_000) for (const [t, v] of this.tokens) if (v.expiresAt <= now) this.tokens.delete(t);
    const issued: IssuedToken = {
      token: randomBytes(32).toString('base64url'),
      jti: randomUUID(),
      client: { clientId, clientSecret: secret },
      expiresAt: now + TOKEN_TTL_S * 1000,
    };
    this.tokens.set(issued.token, issued);
    return issued;
  }

  /** The live token, or undefined when it is unknown or expired. */
  lookup(token: string): IssuedToken | undefined {
    const t = this.tokens.get(token);
    if (!t) return undefined;
    if (t.expiresAt <= this.clock()) {
      this.tokens.delete(token);
      return undefined;
    }
    return t;
  }
}
