/**
 * The console page: the POS, the reader and the host as controls, and the
 * live views the console server pushes as Server-Sent Events (`/api/events`),
 * one panel per file. Every control is a labelled form element or button, so
 * the page works from the keyboard (Tab, Enter, Space). Every `/api` call
 * carries the console's token (consoleApi.ts).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { AUTH } from './consoleApi';
import type { ConsoleState, Json } from './consoleState';
import { HostPanel } from './hostPanel';
import { LedgerPanel } from './ledgerPanel';
import { PosPanel } from './posPanel';
import { QueuePanel } from './queuePanel';
import { ReaderPanel } from './readerPanel';
import { RefusalsPanel } from './refusalsPanel';
import { listenToEvents } from './serverSentEvents';
import { TimelinePanel } from './timelinePanel';
import './style.css';

/** The live state, and whether the console refused this page's token (it restarted: the page must be reloaded). */
function useLiveState(): { state: ConsoleState | undefined; refused: boolean } {
  const [state, setState] = useState<ConsoleState>();
  const [refused, setRefused] = useState(false);
  useEffect(() => listenToEvents('/api/events', 'state', AUTH, (data) => setState(JSON.parse(data) as ConsoleState), () => setRefused(true)), []);
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
        <QueuePanel state={state} />
        <LedgerPanel state={state} />
        <TimelinePanel state={state} />
        <RefusalsPanel refusals={state?.refusals} />
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
