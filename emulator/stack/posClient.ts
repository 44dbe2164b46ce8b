import type { CounterStack } from './counterStack.js';
import { jsonLine } from './childProcess.js';

/** What the POS app gets back from the agent. */
export interface PosAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One JSON request to a URL; the answer's body parsed (or `{raw}` when it isn't JSON). */
export async function jsonRequest(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<PosAnswer> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

/** One JSON request to the stack's agent (`path` such as `/v1/health`), with its bearer token. */
export function agentRequest(stack: Pick<CounterStack, 'agentUrl' | 'agentHeaders'>, method: string, path: string, body?: unknown): Promise<PosAnswer> {
  return jsonRequest(method, `${stack.agentUrl}${path}`, body, stack.agentHeaders);
}

/**
 * Calls a card operation on the agent and swipes `card` on the reader
 * emulator once the agent has armed it for this call (polling the emulator's
 * `status`, at most `maxPolls` times, 50 ms apart).
 */
export async function withSwipe(stack: CounterStack, card: string, call: () => Promise<PosAnswer>, maxPolls = 100): Promise<PosAnswer> {
  const armsBefore = (await readerState(stack)).arms ?? 0;
  const answer = call();
  let settled = false;
  void answer.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < maxPolls && !settled; i++) {
    const state = await readerState(stack);
    // Only a fresh arm counts: a stale "armed" from the previous operation would swallow the swipe.
    if (state.armed === true && (state.arms ?? 0) > armsBefore) {
      stack.readerCommand(`swipe-card ${card}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return answer;
}

/** The reader emulator's state, from its `status` command. */
async function readerState(stack: CounterStack): Promise<{ armed?: boolean; arms?: number }> {
  const from = stack.reader.stdout.length;
  stack.readerCommand('status');
  const line = await stack.reader.waitForLine((l) => jsonLine(l)?.cmd === 'status', 5_000, from);
  return (jsonLine(line)?.state ?? {}) as { armed?: boolean; arms?: number };
}
