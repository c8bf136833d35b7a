import type { Database } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { hashToken } from '../../platform/tokens.ts';
import { throttlePolicy } from './identity.policy.ts';
import { block, blockedUntil, countInWindow, deleteCount } from './throttles.repository.ts';

/**
 * Throttle keys for one sign-in attempt. They are hashed, so the table holds no email or address,
 * and the same keys exist for unknown emails (no enumeration through throttling).
 */
export function throttleKeys(email: string, ip: string): { account: string; ipAccount: string } {
  const who = email.trim().toLowerCase();
  return { account: hashToken(`account:${who}`), ipAccount: hashToken(`ip-account:${ip}:${who}`) };
}

export const mfaChallengeKey = (userId: string): string => hashToken(`mfa:${userId}`);

type Scope = keyof typeof throttlePolicy;

/** Counts one failure in a fixed window (atomic upsert) and blocks the key once the limit is reached. */
export async function recordFailure(db: Database, key: string, scope: Scope, now: Date): Promise<void> {
  const policy = throttlePolicy[scope];
  const row = await countInWindow(db, key, new Date(now.getTime() - policy.windowMs), now, null);
  if (row === undefined || row.failures < policy.limit) return;
  const until =
    scope === 'ipAccount'
      ? new Date(now.getTime() + Math.min(throttlePolicy.ipAccount.firstBlockMs * 2 ** (row.failures - policy.limit), throttlePolicy.ipAccount.maxBlockMs))
      : new Date(row.windowStartedAt.getTime() + policy.windowMs);
  await block(db, key, until);
}

/** A successful sign-in ends the consecutive count for this IP + account (the hourly account count stays). */
export async function clearFailures(db: Database, key: string): Promise<void> {
  await deleteCount(db, key);
}

/**
 * Runs one sign-in attempt under the throttles: refused with 429 while any key is blocked (even
 * with the right password, so a block cannot be probed), failures counted afterwards, and the
 * consecutive count cleared by a success.
 */
export async function throttledSignIn<T>(
  db: Database,
  who: { email: string; ip: string; now: Date },
  onBlocked: (retryAfterSeconds: number) => void,
  attempt: () => Promise<T>,
): Promise<T> {
  // The check reads the counts before the attempt and the failure is counted after it, so
  // attempts on one account run one after another in this process: otherwise thirty sent at once
  // would all pass the check before the first failure is written. Across processes on one
  // database the overshoot is at most one attempt per other process.
  const keys = throttleKeys(who.email, who.ip);
  const account = keys.account;
  const previous = accountTurns.get(account) ?? Promise.resolve();
  const turn = previous.catch(() => undefined).then(() => throttledNow(db, who, keys, onBlocked, attempt));
  accountTurns.set(account, turn);
  try {
    return await turn;
  } finally {
    if (accountTurns.get(account) === turn) accountTurns.delete(account);
  }
}

/** The last sign-in attempt queued per account key, in this process. */
const accountTurns = new Map<string, Promise<unknown>>();

async function throttledNow<T>(
  db: Database,
  who: { email: string; ip: string; now: Date },
  keys: { account: string; ipAccount: string },
  onBlocked: (retryAfterSeconds: number) => void,
  attempt: () => Promise<T>,
): Promise<T> {
  const challenge = mfaChallengeKey(who.email);
  const until = await blockedUntil(db, [keys.account, keys.ipAccount, challenge], who.now);
  if (until !== null) {
    onBlocked(Math.max(1, Math.ceil((until.getTime() - who.now.getTime()) / 1000)));
    throw new AppError('rate_limited', 'Too many failed sign-ins; wait and try again.');
  }
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    if (error instanceof AppError && (error.code === 'invalid_credentials' || error.code === 'invalid_mfa_code')) {
      await recordFailure(db, keys.ipAccount, 'ipAccount', who.now);
      await recordFailure(db, keys.account, 'account', who.now);
      if (error.code === 'invalid_mfa_code') await recordFailure(db, challenge, 'mfaChallenge', who.now);
    }
    throw error;
  }
  await clearFailures(db, keys.ipAccount);
  return result;
}
