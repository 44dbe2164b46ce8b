/**
 * Failpoints for the crash tests (as etcd's gofail or TiKV's fail-rs): with
 * `POS_AGENT_FAILPOINT=NAME[:N]` in the environment, the N-th time (default
 * the first) the agent passes `failpoint(NAME)` it kills itself with SIGKILL,
 * exactly as a power cut or the OOM killer would. Unset (always, outside the
 * tests) a failpoint is one comparison. The names mark the windows between
 * durable steps:
 * - `burn-written`: a direct burn's record is committed, its balance call in flight; the burn is not sent;
 * - `burn-answered`: the host approved a direct burn; the approval is not committed yet;
 * - `burn-committed`: the approval is committed; the POS has not heard it;
 * - `forward-answered`: the host answered a forwarded burn; its outcome is not committed yet;
 * - `undo-committed`: a void's or return's operations and planned answer are committed; the POS has not heard it;
 * - `rekey-row`: `queue rekey` re-encrypted one more row; its transaction is not committed yet.
 */
export type FailpointName = 'burn-written' | 'burn-answered' | 'burn-committed' | 'forward-answered' | 'undo-committed' | 'rekey-row';

const spec = /^([a-z-]+)(?::([0-9]+))?$/.exec(process.env.POS_AGENT_FAILPOINT ?? '');
const armed = spec ? { name: spec[1], left: Number(spec[2] ?? '1') } : undefined;

export function failpoint(name: FailpointName): void {
  if (armed === undefined || armed.name !== name) return;
  if (--armed.left === 0) process.kill(process.pid, 'SIGKILL');
}
