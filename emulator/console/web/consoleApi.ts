/**
 * The page's calls to the console's `/api`. Every one carries the console's
 * token, which the server put in this page's `<meta name="pos-console-token">`.
 * It reads the page, so it compiles only with the page's tsconfig (the root
 * tsconfig leaves web/ out; the files here that tests import compile under node).
 */
import type { Json } from './consoleState';

/** The headers of every `/api` call: the token of this start of the console, from the served page. */
export const AUTH: Record<string, string> = { authorization: `Bearer ${document.querySelector<HTMLMetaElement>('meta[name="pos-console-token"]')?.content ?? ''}` };

/** POSTs `body` as JSON to `path` with the token; resolves with the JSON answer, whatever its status. */
export async function post(path: string, body: unknown): Promise<Json> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTH }, body: JSON.stringify(body) });
  return (await res.json()) as Json;
}
