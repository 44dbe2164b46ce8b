/** The host panel: cut and restore the host, set and clear its faults, and the faults now set. */
import { useState } from 'preact/hooks';
import type { FaultEndpoint } from '../../host/faultEndpoints';
import { post } from './consoleApi';
import type { ConsoleState, Json } from './consoleState';
import { endpointWords, faultLines } from './queueWords';

/** The endpoints the panel offers, of the host's list (FAULT_ENDPOINTS): the ones a cashier's operations reach. */
const ENDPOINTS = ['*', 'rewards', 'rewards/redeem', 'rewards/earn', 'rewards/redeem/:transactionId/reversal', 'transactions', 'terminal/offers'] as const satisfies readonly FaultEndpoint[];

export function HostPanel({ state }: { state: ConsoleState | undefined }) {
  const [endpoint, setEndpoint] = useState('rewards/redeem');
  const [latency, setLatency] = useState('');
  const [status, setStatus] = useState('');
  const [drop, setDrop] = useState(false);
  const [commitThenDrop, setCommitThenDrop] = useState(false);
  const [note, setNote] = useState<string>();
  const online = state?.host.online ?? true;
  const faults = faultLines(state?.host.faults);
  const setFault = async () => {
    const fault: Json = { endpoint };
    if (latency !== '') fault.latencyMs = Number(latency);
    if (status !== '') fault.status = Number(status);
    if (drop) fault.drop = true;
    if (commitThenDrop) fault.commitThenDrop = true;
    const a = await post('/api/faults', fault);
    setNote(typeof a.error === 'string' ? a.error : `fault set on ${endpoint}`);
  };
  return (
    <section aria-labelledby="host-h" class="panel">
      <h2 id="host-h">Host</h2>
      <p>
        The host is <strong data-testid="host-state">{online ? 'online' : 'offline'}</strong>
      </p>
      <div class="buttons" role="group" aria-label="Host power">
        <button disabled={!online} onClick={() => void post('/api/host', { online: false })}>Cut the host</button>
        <button disabled={online} onClick={() => void post('/api/host', { online: true })}>Restore the host</button>
      </div>
      <form
        class="fields"
        onSubmit={(e) => {
          e.preventDefault();
          void setFault();
        }}
      >
        <label>
          Endpoint
          <select value={endpoint} onChange={(e) => setEndpoint(e.currentTarget.value)} name="endpoint">
            {ENDPOINTS.map((x) => (
              <option key={x} value={x}>
                {endpointWords(x)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Latency (ms)
          <input type="number" min="0" value={latency} onInput={(e) => setLatency(e.currentTarget.value)} name="latencyMs" />
        </label>
        <label>
          Status (4xx/5xx)
          <input type="number" min="400" max="599" value={status} onInput={(e) => setStatus(e.currentTarget.value)} name="status" />
        </label>
        <label class="check">
          <input type="checkbox" checked={drop} onChange={(e) => setDrop(e.currentTarget.checked)} />
          Drop the connection
        </label>
        <label class="check">
          <input type="checkbox" checked={commitThenDrop} onChange={(e) => setCommitThenDrop(e.currentTarget.checked)} />
          Commit, then drop
        </label>
        <div class="buttons">
          <button type="submit">Set fault</button>
          <button type="button" onClick={() => void post('/api/faults', { clear: true }).then(() => setNote('faults cleared'))}>
            Clear faults
          </button>
        </div>
      </form>
      <p aria-live="polite" class="note">{note ?? ''}</p>
      <h3>Faults now</h3>
      {faults.length > 0 ? (
        <ul data-testid="faults-now">
          {faults.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p data-testid="faults-now">{online ? 'None: the host answers normally.' : 'None while the host is cut.'}</p>
      )}
    </section>
  );
}
