import type { CardRefusal } from '../../protocol/loyalty/index.js';
import type { HostError } from './hostClient.js';

/**
 * Maps a host refusal to the stable reason the POS sees, the queue keeps and
 * the metrics count, by its kind (`err.refusal`, read once from the REST code
 * or DE39 by the client): `unknown-card`, `expired-card`,
 * `insufficient-points`, `stale-balance-enquiry`, `invalid-identifier`,
 * `duplicate`; any other kind is `host-<code>` (the host's raw code, or the
 * error's own code when the host gave none).
 */
export function declineReason(err: HostError): string {
  switch (err.refusal) {
    case 'unknown-card':
    case 'expired-card':
    case 'insufficient-points':
    case 'stale-balance-enquiry':
    case 'invalid-identifier':
    case 'duplicate':
      return err.refusal;
    default:
      return err.hostCode ? `host-${err.hostCode}` : `host-${err.code}`;
  }
}

/**
 * The card refusal a host error says, by its kind: `unknown-card` or
 * `expired-card` (the loyalty host refused the card itself), else undefined.
 */
export function cardRefusalOf(err: HostError): CardRefusal | undefined {
  return err.refusal === 'unknown-card' || err.refusal === 'expired-card' ? err.refusal : undefined;
}
