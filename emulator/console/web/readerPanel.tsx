/** The reader panel: its state, a swipe button per fixture card, a swipe of any card number, and the reader's faults. */
import { useState } from 'preact/hooks';
import { post } from './consoleApi';
import type { ConsoleState } from './consoleState';

export function ReaderPanel({ state }: { state: ConsoleState | undefined }) {
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
