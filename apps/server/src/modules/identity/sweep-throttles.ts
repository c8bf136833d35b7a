import type { Database } from '../../db/database.ts';
import { guessPolicy, throttlePolicy } from './identity.policy.ts';
import { deleteStaleCounts, deleteStaleGuesses } from './throttles.repository.ts';

/** The longest window a sign-in throttle counts in (the consecutive failures of an address and account: a day). */
const longestWindowMs = Math.max(...Object.values(throttlePolicy).map((p) => p.windowMs));

/**
 * Deletes the throttle counts no window can use any more: sign-in counts started longer ago than
 * the longest window (the next failure would start the count afresh anyway) and blocking nothing,
 * and wrong guesses whose minute is over. Without it every address that ever failed keeps rows.
 * Returns how many went.
 */
export async function sweepThrottles(db: Database, now: Date): Promise<number> {
  const counts = await deleteStaleCounts(db, new Date(now.getTime() - longestWindowMs), now);
  return counts + (await deleteStaleGuesses(db, new Date(now.getTime() - guessPolicy.windowMs)));
}
