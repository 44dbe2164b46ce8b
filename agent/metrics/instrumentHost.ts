import { HostError, type HostClient } from '../host/index.js';
import type { AgentMetrics, HostOutcomeLabel } from './agentMetrics.js';

type Operation = 'balance' | 'burn' | 'reverse' | 'earn' | 'offers' | 'redeemOffer' | 'refund' | 'reverseEarn' | 'reverseOffer' | 'ping';

/**
 * A {@link HostClient} that times every request into
 * `pos_agent_host_request_duration_seconds{operation,outcome}`. The outcome is
 * `ok`, or the failure's {@link HostError.outcome}; any other throw counts as
 * `unknown`. Answers and errors pass through untouched.
 */
export function instrumentHost(host: HostClient, metrics: AgentMetrics, now: () => number = () => performance.now()): HostClient {
  const timed = <A, R>(operation: Operation, call: (arg: A) => Promise<R>) => async (arg: A): Promise<R> => {
    const started = now();
    let outcome: HostOutcomeLabel = 'ok';
    try {
      return await call(arg);
    } catch (err) {
      outcome = err instanceof HostError ? err.outcome : 'unknown';
      throw err;
    } finally {
      metrics.hostRequest(operation, outcome, (now() - started) / 1000);
    }
  };
  return {
    balance: timed('balance', (r) => host.balance(r)),
    burn: timed('burn', (r) => host.burn(r)),
    reverse: timed('reverse', (r) => host.reverse(r)),
    earn: timed('earn', (r) => host.earn(r)),
    offers: timed('offers', (r) => host.offers(r)),
    redeemOffer: timed('redeemOffer', (r) => host.redeemOffer(r)),
    refund: timed('refund', (r) => host.refund(r)),
    reverseEarn: timed('reverseEarn', (r) => host.reverseEarn(r)),
    reverseOffer: timed('reverseOffer', (r) => host.reverseOffer(r)),
    ping: () => timed('ping', () => host.ping())(undefined),
    close: () => host.close(),
  };
}
