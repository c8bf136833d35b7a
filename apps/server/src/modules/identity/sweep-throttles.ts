import { and, isNull, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { signInThrottles } from '../../db/schema.ts';
import { guessPolicy, throttlePolicy } from './identity.policy.ts';

/** The longest window any throttle counts in (the consecutive failures of an address and account: a day). */
const longestWindowMs = Math.max(guessPolicy.windowMs, ...Object.values(throttlePolicy).map((p) => p.windowMs));

/**
 * Deletes the throttle counts no window can use any more: started longer ago than the longest
 * window (the next failure would start the count afresh anyway) and blocking nothing. Without it
 * every address that ever guessed a token keeps a row. Returns how many went.
 */
export async function sweepThrottles(db: Database, now: Date): Promise<number> {
  const deleted = await db
    .delete(signInThrottles)
    .where(
      and(
        lte(signInThrottles.windowStartedAt, new Date(now.getTime() - longestWindowMs)),
        or(isNull(signInThrottles.blockedUntil), lt(signInThrottles.blockedUntil, now)),
      ),
    )
    .returning({ key: signInThrottles.key });
  return deleted.length;
}
