import { maskPanLike } from '../../protocol/index.js';

/** ISO 7813 track 1 (`%B<PAN>^NAME^...?`) and track 2 (`;<PAN>=...?`), as they could appear inside a log line. */
const TRACK1_RE = /%?B[0-9]{12,19}\^[^^"]{0,26}\^[^?"]*\??/g;
const TRACK2_RE = /;?[0-9]{12,19}=[0-9]{4}[^?"]*\??/g;

/**
 * The logger's last line of defence, applied to every serialized line
 * (message, fields, error messages and stacks alike): track data is replaced
 * with `[track redacted]`, then every Luhn-valid 13–19 digit run is masked to
 * first 6 / last 4.
 */
export function scrubLine(line: string): string {
  return maskPanLike(line.replace(TRACK1_RE, '[track redacted]').replace(TRACK2_RE, '[track redacted]'));
}
