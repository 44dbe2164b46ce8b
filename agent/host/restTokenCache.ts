/** A bearer token and how long the host says it lives. */
export interface FetchedToken {
  accessToken: string;
  expiresInS: number;
}

/**
 * Caches the OAuth token. It is refreshed once 90% of `expires_in` has
 * passed (so it never expires mid-request), concurrent callers share one
 * fetch, and `invalidate` drops a token the host refused (401).
 */
export class RestTokenCache {
  private current: { value: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  /**
   * @param fetchToken gets a new token from the host.
   * @param now clock in epoch ms (injected for tests).
   * @param refreshRatio fraction of the lifetime after which the token is refreshed. Default 0.9.
   */
  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number,
    private readonly refreshRatio = 0.9,
  ) {}

  /** A valid token: the cached one, or a fresh one. */
  get(): Promise<string> {
    if (this.current !== undefined && this.now() < this.current.refreshAt) return Promise.resolve(this.current.value);
    return this.refresh();
  }

  /** Fetches a new token (sharing any fetch already under way). */
  refresh(): Promise<string> {
    if (this.inflight === undefined) {
      const started = this.now();
      this.inflight = this.fetchToken()
        .then((t) => {
          this.current = { value: t.accessToken, refreshAt: started + t.expiresInS * 1000 * this.refreshRatio };
          return t.accessToken;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  /** Forgets `token` if it is still the cached one (the host refused it). */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }
}
