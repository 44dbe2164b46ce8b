/** Awaits a HostClient call that must fail and hands back its HostError for the test to inspect. */
import { HostError } from '../../agent/host/hostClient.js';

/** The HostError `p` rejects with; any other rejection is rethrown, and a resolution fails the test. */
export async function hostErrorOf(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error('expected a HostError');
}
