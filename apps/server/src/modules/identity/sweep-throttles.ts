import type { Database } from '../../db/database.ts';
import { guessPolicy, throttlePolicy } from './identity.policy.ts';
import { deleteStaleCounts } from './throttles.repository.ts';

/** The longest window any throttle counts in (the consecutive failures of an address and account: a day). */
const longestWindowMs = Math.max(guessPolicy.windowMs, ...Object.values(throttlePolicy).map((p) => p.windowMs));

/**
 * Deletes the throttle counts no window can use any more: started longer ago than the longest
 * window (the next failure would start the count afresh anyway) and blocking nothing. Without it
 * every address that ever guessed a token keeps a row. Returns how many went.
 */
export async function sweepThrottles(db: Database, now: Date): Promise<number> {
  return deleteStaleCounts(db, new Date(now.getTime() - longestWindowMs), now);
}
