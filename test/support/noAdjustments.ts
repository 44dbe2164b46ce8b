import type { HostClient } from '../../agent/host/index.js';

const unused = (op: string) => () => Promise.reject(new Error(`${op} is not used by this test's host`));

/** The returns-and-voids methods of a {@link HostClient} for test hosts that never get them: each rejects, naming itself. */
export const noAdjustments: Pick<HostClient, 'refund' | 'reverseEarn' | 'reverseOffer'> = {
  refund: unused('refund'),
  reverseEarn: unused('reverseEarn'),
  reverseOffer: unused('reverseOffer'),
};
