/**
 * The console page: the POS, the reader and the host as controls, and the
 * live views the console server pushes as Server-Sent Events (`/api/events`).
 * Every control is a labelled form element or button, so the page works from
 * the keyboard (Tab, Enter, Space). Every `/api` call carries the console's
 * token, which the server put in this page's `<meta name="pos-console-token">`.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { endpointWords, faultLines, forwarderText } from './queueWords';
import { RefusalsPanel, type Refusals } from './refusalsPanel';
import { listenToEvents } from './serverSentEvents';
import './style.css';

type Json = Record<string, unknown>;

interface Step {
  name: string;
  at: string;
  ms: number;
}
interface Operation {
  id: number;
  label: string;
  reference: string | null;
  cashier: string;
  status: number | null;
  raw: Json | null;
  steps: Step[];
}
interface QueueItem {
  id: number;
  transactionId: string;
  kind: string;
  state: string;
  maskedPan: string;
  attempts: number;
  offline: boolean;
  deadReason: string | null;
  lastError: string | null;
}
interface State {
  cards: { name: string; behaviour: string }[];
  host: { online: boolean; faults: Json | null };
  reader: Json;
  health: Json | null;
  queue: { stats: Json; forwarder: Json; items: QueueItem[]; done: number } | null;
  ledger: { cards: { name: string; pan: string; accounts: { accountId: string; balance: number }[] }[]; entries: { time: string; kind: string; points: number; balanceAfter: number; transactionId: string }[] } | null;
  operations: Operation[];
  refusals: Refusals;
}

/** The headers of every `/api` call: the token of this start of the console, from the served page. */
const AUTH: Record<string, string> = { authorization: `Bearer ${document.querySelector<HTMLMetaElement>('meta[name="pos-console-token"]')?.content ?? ''}` };

async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: JSON.stringify(body) });
  return (await res.json()) as Json;
}

/** The live state, and whether the console refused this page's token (it restarted: the page must be reloaded). */
function useLiveState(): { state: State | undefined; refused: boolean } {
  const [state, setState] = useState<State>();
  const [refused, setRefused] = useState(false);
  useEffect(() => listenToEvents('/api/events', 'state', AUTH, (data) => setState(JSON.parse(data) as State), () => setRefused(true)), []);
  return { state, refused };
}

function App() {
  const { state, refused } = useLiveState();
  return (
    <>
      <header>
        <h1>pos-agent console</h1>
        <p class="status" aria-live="polite">
          {refused ? 'The console was restarted and no longer knows this page: reload it.' : state ? `host ${state.host.online ? 'online' : 'offline'} · reader ${state.reader.plugged === false ? 'unplugged' : String(state.reader.status ?? '')} · queue ${String(state.health?.queue && (state.health.queue as Json).pending)} pending` : 'connecting…'}
        </p>
      </header>
      <main>
        <PosPanel />
        <ReaderPanel state={state} />
        <HostPanel state={state} />
        <LiveViews state={state} />
        <RefusalsPanel refusals={state?.refusals} />
      </main>
    </>
  );
}

function PosPanel() {
  const [amount, setAmount] = useState('2500');
  const [points, setPoints] = useState('300');
  const [reference, setReference] = useState('');
  const [original, setOriginal] = useState('');
  const [acceptOffer, setAcceptOffer] = useState(true);
  const [busy, setBusy] = useState<string>();
  const [answer, setAnswer] = useState<Json>();

  const call = async (op: string, extra: Json) => {
    setBusy(op);
    setAnswer(undefined);
    try {
      const ref = reference.trim() === '' ? {} : { reference: reference.trim() };
      const a = await post('/api/pos', { op, ...extra, ...(['balance', 'health', 'flush'].includes(op) ? {} : ref) });
      setAnswer(a);
      if (typeof a.reference === 'string' && op !== 'void' && op !== 'return') setOriginal(a.reference);
    } finally {
      setBusy(undefined);
    }
  };
  const n = (s: string) => Number.parseInt(s, 10);
  return (
    <section aria-labelledby="pos-h" class="panel">
      <h2 id="pos-h">POS</h2>
      <div class="fields">
        <label>
          Amount (minor units)
          <input type="number" min="1" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} name="amount" />
        </label>
        <label>
          Points
          <input type="number" min="0" value={points} onInput={(e) => setPoints(e.currentTarget.value)} name="points" />
        </label>
        <label>
          Reference (empty: a new one)
          <input type="text" value={reference} onInput={(e) => setReference(e.currentTarget.value)} name="reference" />
        </label>
        <label>
          Original reference (void, return)
          <input type="text" value={original} onInput={(e) => setOriginal(e.currentTarget.value)} name="originalReference" />
        </label>
        <label class="check">
          <input type="checkbox" checked={acceptOffer} onChange={(e) => setAcceptOffer(e.currentTarget.checked)} />
          Accept an offer at checkout
        </label>
      </div>
      <div class="buttons" role="group" aria-label="POS operations">
        <button disabled={busy !== undefined} onClick={() => void call('redeem', { points: n(points) })}>Redeem</button>
        <button disabled={busy !== undefined} onClick={() => void call('earn', { amount: n(amount) })}>Earn</button>
        <button disabled={busy !== undefined} onClick={() => void call('checkout', { amount: n(amount), redeemPoints: n(points) || 0, acceptOffer })}>Checkout</button>
        <button disabled={busy !== undefined} onClick={() => void call('balance', {})}>Balance</button>
        <button disabled={busy !== undefined} onClick={() => void call('void', { originalReference: original })}>Void</button>
        <button disabled={busy !== undefined} onClick={() => void call('return', { originalReference: original, amount: n(amount) })}>Return</button>
        <button disabled={busy !== undefined} onClick={() => void call('health', {})}>Health</button>
        <button disabled={busy !== undefined} onClick={() => void call('flush', {})}>Flush queue</button>
      </div>
      <div class="answer" aria-live="polite" data-testid="pos-answer">
        {busy && <p class="waiting">{['balance', 'redeem', 'earn', 'checkout', 'void', 'return'].includes(busy) ? `${busy}: waiting for a card — swipe one in the reader panel` : `${busy}…`}</p>}
        {answer && <p class="cashier">{String(answer.cashier ?? answer.error ?? '')}</p>}
        {answer && (
          <details>
            <summary>Raw JSON ({String(answer.status ?? '')})</summary>
            <pre>{JSON.stringify(answer.body ?? answer, null, 2)}</pre>
          </details>
        )}
      </div>
    </section>
  );
}

function ReaderPanel({ state }: { state: State | undefined }) {
  const [pan, setPan] = useState('');
  const [expiry, setExpiry] = useState('3012');
  const [last, setLast] = useState<string>();
  const command = async (c: string) => {
    const a = await post('/api/reader', { command: c });
    setLast(`${c.split(' ')[0] ?? c}: ${String(a.outcome ?? a.msg ?? a.error ?? 'done')}`);
  };
  return (
    <section aria-labelledby="reader-h" class="panel">
      <h2 id="reader-h">Reader</h2>
      <p>
        State: <strong data-testid="reader-state">{state ? `${state.reader.plugged === false ? 'unplugged' : 'plugged'}, ${String(state.reader.status ?? '')}` : '…'}</strong>
      </p>
      <ul class="cards" aria-label="Fixture cards">
        {(state?.cards ?? []).map((c) => (
          <li key={c.name}>
            <button onClick={() => void command(`swipe-card ${c.name}`)} aria-label={`Swipe ${c.name}`}>
              Swipe <strong>{c.name}</strong>
            </button>
            <span class="behaviour">{c.behaviour}</span>
          </li>
        ))}
      </ul>
      <form
        class="fields"
        onSubmit={(e) => {
          e.preventDefault();
          void command(`swipe ${pan.replace(/\D/g, '')} ${expiry}`);
          setPan('');
        }}
      >
        <label>
          Card number
          <input type="text" inputMode="numeric" autoComplete="off" value={pan} onInput={(e) => setPan(e.currentTarget.value)} name="pan" />
        </label>
        <label>
          Expiry (YYMM)
          <input type="text" inputMode="numeric" value={expiry} onInput={(e) => setExpiry(e.currentTarget.value)} name="expiry" />
        </label>
        <button type="submit">Swipe this card</button>
      </form>
      <div class="buttons" role="group" aria-label="Reader faults">
        <button onClick={() => void command('noise 16')}>Noise</button>
        <button onClick={() => void command('bad-lrc')}>Bad LRC</button>
        <button onClick={() => void command('truncate')}>Truncate</button>
        <button onClick={() => void command('unplug')}>Unplug</button>
        <button onClick={() => void command('replug')}>Replug</button>
      </div>
      <p aria-live="polite" class="note">{last ?? ''}</p>
    </section>
  );
}

const ENDPOINTS = ['*', 'rewards', 'rewards/redeem', 'rewards/earn', 'rewards/redeem/:transactionId/reversal', 'transactions', 'terminal/offers'];

function HostPanel({ state }: { state: State | undefined }) {
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

function LiveViews({ state }: { state: State | undefined }) {
  const q = state?.queue;
  const stats = (q?.stats ?? {}) as Record<string, number>;
  return (
    <>
      <section aria-labelledby="queue-h" class="panel wide">
        <h2 id="queue-h">Queue and forwarder</h2>
        <p data-testid="queue-counts">
          pending {stats.pending ?? 0} · sending {stats.sending ?? 0} · dead {stats.dead ?? 0} · abandoned {stats.abandoned ?? 0} · done {q?.done ?? 0}
        </p>
        <p data-testid="forwarder">Forwarder: {q ? forwarderText(q.forwarder) : '…'}</p>
        <table aria-label="Queued operations">
          <thead>
            <tr>
              <th>id</th>
              <th>kind</th>
              <th>state</th>
              <th>card</th>
              <th>attempts</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody data-testid="queue-items">
            {(q?.items ?? []).map((i) => (
              <tr key={i.id} class={`state-${i.state}`}>
                <td>{i.id}</td>
                <td>
                  {i.kind}
                  {i.offline ? ' (offline)' : ''}
                </td>
                <td>{i.state}</td>
                <td>{i.maskedPan}</td>
                <td>{i.attempts}</td>
                <td>{i.deadReason ?? i.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="ledger-h" class="panel">
        <h2 id="ledger-h">Host ledger</h2>
        {state?.ledger ? (
          <>
            <ul>
              {state.ledger.cards.map((c) => (
                <li key={c.name}>
                  {c.name} {c.pan}: {c.accounts.map((a) => `${a.balance} points`).join(', ')}
                </li>
              ))}
            </ul>
            <table aria-label="Ledger entries">
              <thead>
                <tr>
                  <th>time</th>
                  <th>kind</th>
                  <th>points</th>
                  <th>balance</th>
                </tr>
              </thead>
              <tbody>
                {state.ledger.entries.map((e) => (
                  <tr key={`${e.transactionId}-${e.kind}-${e.time}`}>
                    <td>{e.time.slice(11, 19)}</td>
                    <td>{e.kind}</td>
                    <td>{e.points}</td>
                    <td>{e.balanceAfter}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p>The host is offline: its ledger shows again when it is back.</p>
        )}
      </section>
      <section aria-labelledby="timeline-h" class="panel wide">
        <h2 id="timeline-h">Timeline</h2>
        <ol class="timeline" data-testid="timeline">
          {(state?.operations ?? []).map((op) => (
            <li key={op.id}>
              <p>
                <strong>{op.label}</strong> {op.reference ? <code>{op.reference}</code> : null} — {op.cashier}
              </p>
              <ol class="steps">
                {op.steps.map((s, k) => (
                  <li key={k}>
                    <span class="step">{s.name}</span> <span class="ms">+{s.ms} ms</span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
