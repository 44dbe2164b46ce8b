import { randomBytes } from 'node:crypto';

/** The `<meta name>` of the served page that carries the console's token; the page sends it on every `/api` call. */
export const CONSOLE_TOKEN_META = 'pos-console-token';

/** A fresh console token: 32 random bytes, base64url (made once per start, never written to disk). */
export function newConsoleToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The page's HTML with the token (base64url, from {@link newConsoleToken}: nothing to escape) in `<meta name="pos-console-token" content="...">`, first thing in its `<head>`. */
export function pageWithToken(html: string, token: string): string {
  const meta = `<meta name="${CONSOLE_TOKEN_META}" content="${token}" />`;
  return /<head>/i.test(html) ? html.replace(/<head>/i, (head) => `${head}\n    ${meta}`) : `${meta}\n${html}`;
}
