/** Levenshtein edit distance between two strings (insert, delete, substitute: cost 1 each). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The known key closest to `key`, or undefined when nothing is close enough.
 * Case is ignored for the comparison (so `merchantID` finds `merchantId`);
 * "close" means at most max(2, a third of the key's length) edits.
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDist = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    // Also compare without a unit suffix, so "timeout" finds "timeoutMs".
    const bare = kl.replace(/(ms|s|file)$/, '');
    const d = Math.min(levenshtein(lower, kl), bare === kl ? Infinity : levenshtein(lower, bare));
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestDist <= limit ? best : undefined;
}
