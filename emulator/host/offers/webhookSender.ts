import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { PosError } from '../../../protocol/index.js';
import { parseWebhookSecret, signWebhook } from '../../../protocol/offers/index.js';
import { DEFAULT_RETRY_POLICY, realScheduler, retryDelayMs, type RetryPolicy, type RetryScheduler } from './retryPolicy.js';

/** Where webhooks go. */
export interface WebhookTarget {
  /** The receiver's URL (HTTPS expected; `http:` is allowed for local tools). */
  url: string;
  /** `whsec_<base64>` shared secret. */
  secret: string;
  /** PEM certificate(s) to trust for the receiver, in addition to nothing else. Default: the system CAs. */
  ca?: string | Buffer;
}

/** One delivery attempt, as `GET /_emulator/webhooks` shows it. */
export interface WebhookAttempt {
  /** The message id (`webhook-id`), the same on every attempt. */
  id: string;
  attempt: number;
  /** ISO time the attempt started. */
  at: string;
  /** HTTP status, or null when there was none. */
  status: number | null;
  /** Transport error code or text, or null. */
  error: string | null;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** One message and where it stands. */
export interface WebhookDelivery {
  id: string;
  type: string;
  state: DeliveryState;
  attempts: number;
  /** ISO time of the next attempt while pending and waiting. */
  next_attempt_at: string | null;
}

export interface WebhookSenderOptions {
  now: () => Date;
  /** Default {@link DEFAULT_RETRY_POLICY}; fields given replace the defaults. */
  policy?: Partial<RetryPolicy>;
  /** Default real timers. */
  scheduler?: RetryScheduler;
  /** Attempts and deliveries kept for `/_emulator/webhooks`. Default 1000. */
  keep?: number;
  /** Optional sink for one log line per attempt (never the payload). */
  log?: (fields: { id: string; attempt: number; status: number | null; error: string | null }, msg: string) => void;
}

/** A webhook target the sender cannot use (bad URL); a bad secret throws WebhookSignatureError. */
export class WebhookConfigError extends PosError<'WEBHOOK_ERR_URL'> {}

function checkUrl(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new WebhookConfigError('WEBHOOK_ERR_URL', 'webhook url must be an absolute https: URL', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookConfigError('WEBHOOK_ERR_URL', `webhook url must be https: (or http:), got ${url.protocol}`);
  }
}

interface Pending {
  delivery: WebhookDelivery;
  body: string;
  timer: unknown;
  abort: AbortController | null;
}

/**
 * Sends signed webhooks (Standard Webhooks) in the background and retries
 * failures with exponential backoff. `send` returns at once; nothing here
 * blocks a request. Each attempt is re-signed with its own timestamp and the
 * same message id, as the spec asks. `close()` cancels waiting retries and
 * aborts requests in flight.
 */
export class WebhookSender {
  private readonly policy: RetryPolicy;
  private readonly scheduler: RetryScheduler;
  private readonly keep: number;
  private readonly agent: Agent;
  private readonly pending = new Map<string, Pending>();
  private readonly deliveries: WebhookDelivery[] = [];
  private readonly attemptLog: WebhookAttempt[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly target: WebhookTarget, private readonly opts: WebhookSenderOptions) {
    parseWebhookSecret(target.secret);
    checkUrl(target.url);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
    this.scheduler = opts.scheduler ?? realScheduler;
    this.keep = opts.keep ?? 1000;
    this.agent = new Agent(target.ca !== undefined ? { connect: { ca: target.ca } } : {});
  }

  /** Queues one event for delivery; returns its message id. */
  send(type: string, payload: unknown): string {
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const delivery: WebhookDelivery = { id, type, state: 'pending', attempts: 0, next_attempt_at: null };
    this.remember(this.deliveries, delivery);
    if (this.closed) {
      delivery.state = 'cancelled';
      return id;
    }
    const p: Pending = { delivery, body: JSON.stringify(payload), timer: null, abort: null };
    this.pending.set(id, p);
    p.timer = this.scheduler.setTimeout(() => void this.attempt(p), 0);
    return id;
  }

  /** Every delivery and every attempt so far (oldest first, the last `keep` of each). */
  snapshot(): { deliveries: WebhookDelivery[]; attempts: WebhookAttempt[] } {
    return { deliveries: this.deliveries.map((d) => ({ ...d })), attempts: this.attemptLog.map((a) => ({ ...a })) };
  }

  /** Resolves once no delivery is pending (delivered, failed or cancelled). */
  settled(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cancels waiting retries, aborts requests in flight and closes the connection pool. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) {
      if (p.timer !== null) this.scheduler.clearTimeout(p.timer);
      p.abort?.abort();
      this.finish(p, 'cancelled');
    }
    await this.agent.destroy();
  }

  private async attempt(p: Pending): Promise<void> {
    p.timer = null;
    if (this.closed) return;
    const d = p.delivery;
    d.attempts += 1;
    d.next_attempt_at = null;
    const started = this.opts.now();
    const rec: WebhookAttempt = { id: d.id, attempt: d.attempts, at: started.toISOString(), status: null, error: null };
    p.abort = new AbortController();
    try {
      const headers = signWebhook(this.target.secret, d.id, Math.floor(started.getTime() / 1000), p.body);
      const res = await request(this.target.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal: p.abort.signal,
        headersTimeout: this.policy.timeoutMs,
        bodyTimeout: this.policy.timeoutMs,
        headers: { 'content-type': 'application/json', 'user-agent': 'pos-emulator-webhooks', ...headers },
        body: p.body,
      });
      await res.body.dump();
      rec.status = res.statusCode;
    } catch (err) {
      rec.error = this.closed ? 'cancelled' : errorText(err);
    }
    p.abort = null;
    this.remember(this.attemptLog, rec);
    this.opts.log?.({ id: d.id, attempt: rec.attempt, status: rec.status, error: rec.error }, 'webhook attempt');
    if (this.closed) return;
    if (rec.status !== null && rec.status >= 200 && rec.status < 300) return this.finish(p, 'delivered');
    if (d.attempts >= this.policy.maxAttempts) return this.finish(p, 'failed');
    const delay = retryDelayMs(d.attempts, this.policy);
    d.next_attempt_at = new Date(this.opts.now().getTime() + delay).toISOString();
    p.timer = this.scheduler.setTimeout(() => void this.attempt(p), delay);
  }

  private finish(p: Pending, state: DeliveryState): void {
    p.delivery.state = state;
    p.delivery.next_attempt_at = null;
    this.pending.delete(p.delivery.id);
    if (this.pending.size === 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
  }

  private remember<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
  }
}

function errorText(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string') return message.slice(0, 200);
  }
  return 'unknown error';
}
