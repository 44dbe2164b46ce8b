/**
 * Luhn (mod 10) check over a string of ASCII digits. A leaf module of its own
 * (no imports): the PAN helpers, the track parser and the identifier check all
 * use it, so it sits below them all and no import cycle runs through it.
 * Returns false for an empty string or any non-digit character.
 */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
