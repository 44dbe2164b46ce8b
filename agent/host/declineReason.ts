import type { HostError } from './hostClient.js';

/** The stand-in reasons a card is refused for, offline as online: what the host said of the card itself. */
export type CardRefusal = 'unknown-card' | 'expired-card';

/**
 * Maps a host refusal (REST error code, or ISO 8583 DE39) to the stable
 * reason the POS sees, the queue keeps and the metrics count.
 */
export function declineReason(err: HostError): string {
  switch (err.hostCode) {
    case 'L14':
    case '14':
      return 'unknown-card';
    case 'L54':
    case '54':
      return 'expired-card';
    case 'L51':
    case '51':
      return 'insufficient-points';
    case 'L30':
      return 'stale-balance-enquiry';
    case '1013':
      return 'invalid-identifier';
    case '2020':
    case '94':
      return 'duplicate';
    default:
      return err.hostCode ? `host-${err.hostCode}` : `host-${err.code}`;
  }
}

/** A reason that says the card itself is refused (unknown, expired): remembered for the offline stand-in. */
export function isCardRefusal(reason: string | null | undefined): reason is CardRefusal {
  return reason === 'unknown-card' || reason === 'expired-card';
}
