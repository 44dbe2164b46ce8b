/**
 * Server-Sent Events read with `fetch`, so that the request carries the
 * console's token (an `EventSource` cannot send an `Authorization` header).
 * Reconnects a second after the stream ends or fails, until stopped; a 401
 * (the console restarted with a new token) stops it: only a reload helps.
 */

/** The `data` of one event block (its `data:` lines joined), when the block is the event `name`; else undefined. */
export function eventData(block: string, name: string): string | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return event === name && data.length > 0 ? data.join('\n') : undefined;
}

/**
 * Listens to the events `name` of `url` with the request `headers`, and calls
 * `onData` with each one's data; `onRefused` once, when the server refuses the
 * token (and listening stops). Returns the function that stops listening.
 */
export function listenToEvents(url: string, name: string, headers: Record<string, string>, onData: (data: string) => void, onRefused: () => void): () => void {
  const stop = new AbortController();
  const read = async (): Promise<void> => {
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: stop.signal });
    if (res.status === 401) {
      stop.abort();
      onRefused();
      return;
    }
    if (!res.ok || res.body === null) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
        const data = eventData(buffer.slice(0, end), name);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        if (data !== undefined) onData(data);
      }
    }
  };
  const loop = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      await read().catch(() => undefined);
      if (!stop.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  void loop();
  return () => stop.abort();
}
