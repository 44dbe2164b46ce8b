/** The POS panel: amount, points and references, one button per POS operation, and the answer in the cashier's words and as raw JSON. */
import { useState } from 'preact/hooks';
import { post } from './consoleApi';
import type { Json } from './consoleState';

export function PosPanel() {
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
