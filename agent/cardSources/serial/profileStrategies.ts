import type { ReaderProfile } from '../../../protocol/reader/index.js';
import { framedProfile } from './framedProfile.js';
import { magtekProfile } from './magtekProfile.js';
import type { ProfileStrategy } from './profileStrategy.js';

const STRATEGIES: Record<ReaderProfile, ProfileStrategy> = { framed: framedProfile, magtek: magtekProfile };

/** The driver's strategy for a wire profile. */
export function profileStrategy(profile: ReaderProfile): ProfileStrategy {
  return STRATEGIES[profile];
}
