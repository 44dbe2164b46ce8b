/**
 * The places in `sources` (where, lines) that show `secret` or any 16 of its
 * characters in a row (a token cut short, or half of one, is a leak too).
 * The failure names the place and the line number, never the text.
 */
export function secretLeaks(secret: string, sources: readonly (readonly [string, readonly string[]])[], window = 16): string[] {
  if (secret === '') return [];
  const pieces = new Set<string>();
  for (let i = 0; i + window <= secret.length; i++) pieces.add(secret.slice(i, i + window));
  if (secret.length < window) pieces.add(secret);
  const leaks: string[] = [];
  for (const [where, lines] of sources) {
    lines.forEach((line, n) => {
      for (const piece of pieces) {
        if (line.includes(piece)) {
          leaks.push(`${where}: line ${n + 1} holds the secret (or ${window} characters of it)`);
          return;
        }
      }
    });
  }
  return leaks;
}
