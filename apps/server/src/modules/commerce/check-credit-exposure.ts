import type { Executor } from '../../db/database.ts';
import { periodStart } from './commerce.policy.ts';
import { exposureDrift, type ExposureDrift } from './commerce.repository.ts';

export type { ExposureDrift };

/** Where drift is reported: the app's logger, or a test's. */
export interface DriftLog {
  warn(fields: { creditLineId: string; counter: number; sum: number }, message: string): void;
}

/**
 * The credit-exposure sweep: recounts every credit line whose running counter is of the current
 * month against the sum of the pair's completed orders in it, logs each line that differs (at warn:
 * the line's id and both figures, nothing else) and returns them.
 *
 * It does not repair the counter. Drift can only come from a write that bypassed `loadOrderFacts` (a
 * manual UPDATE, a bulk load, a bug); silently overwriting the counter would hide that bug and change
 * what credit checks refuse behind everyone's back. The operator looks, then fixes it (docs/commerce.md).
 * Counter and sum are read by one statement, so one snapshot: an order commits both or neither.
 */
export async function checkCreditExposure(db: Executor, now: Date, logger: DriftLog): Promise<ExposureDrift[]> {
  const drifting = await exposureDrift(db, periodStart(now));
  for (const line of drifting) {
    logger.warn({ creditLineId: line.id, counter: line.counter, sum: line.sum }, 'credit line exposure counter differs from the sum of its orders this month');
  }
  return drifting;
}
