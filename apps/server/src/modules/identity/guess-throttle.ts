import { isIP } from 'node:net';
import type { Database } from '../../db/database.ts';
import { AppError, RetryLaterError } from '../../platform/errors.ts';
import { hashToken } from '../../platform/tokens.ts';
import { guessPolicy } from './identity.policy.ts';
import { countInWindow, readWindow, uncount, windowStart } from './throttles.repository.ts';

/**
 * Who a client address stands for: an IPv4 address itself (also when IPv4-mapped, `::ffff:a.b.c.d`),
 * an IPv6 address its /64 network — one subscriber's usual allocation, whose 2^64 addresses would
 * otherwise each get a budget of their own.
 */
export function guessScope(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array.from({ length: 8 - left.length - right.length }, () => '0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The throttle key of one client (hashed like the sign-in keys: no address is stored). */
export const guessKey = (ip: string): string => hashToken(`guess-ip:${guessScope(ip)}`);

export interface GuessLimit {
  /** Wrong or unknown tokens per client IP and window. */
  limit: number;
}

export const defaultGuessLimit: GuessLimit = { limit: guessPolicy.limit };

export interface Guesser {
  ip: string;
  now: Date;
}

/** What counts as a wrong guess: the error codes the guarded use case answers for a wrong token or code. */
export type WrongGuess = (error: AppError) => boolean;

function refusal(windowStartedAt: Date, now: Date): RetryLaterError {
  return new RetryLaterError(
    'rate_limited',
    'Too many wrong or unknown links or codes from your address; wait and try again.',
    (windowStartedAt.getTime() + guessPolicy.windowMs - now.getTime()) / 1000,
  );
}

/**
 * Takes one of the window's places for an attempt (an atomic upsert on the database, so every
 * process on it shares the count), or throws 429 when they are all taken (`limit` null: counts
 * without a limit). A place is taken while
 * the attempt runs, so a burst of parallel guesses gets no more through than one after another.
 */
async function takePlace(db: Database, key: string, limit: number | null, now: Date): Promise<Date> {
  const taken = await countInWindow(db, key, new Date(now.getTime() - guessPolicy.windowMs), now, limit);
  if (taken !== undefined) return taken.windowStartedAt;
  throw refusal((await windowStart(db, key)) ?? now, now);
}

/**
 * Gives a place back: the attempt was no wrong guess (success, or refused for another reason). If
 * that fails (the database went away after the attempt), the place stays taken until the window
 * ends — the safe side — and the attempt's own answer stands.
 */
async function givePlaceBack(db: Database, key: string, windowStartedAt: Date): Promise<void> {
  try {
    await uncount(db, key, windowStartedAt);
  } catch {
    // Kept on purpose: see above.
  }
}

/**
 * Runs an attempt with a token from the client (RATE-03): refused with 429 and Retry-After once the
 * address's wrong guesses fill the window. Only wrong or unknown tokens keep their place, so
 * legitimate use is never throttled by its own successes. The counts live in the database
 * (`sign_in_throttles`), outside the attempt's transaction, so a rolled-back attempt still counts.
 */
export async function throttledGuess<T>(db: Database, who: Guesser, limit: GuessLimit, isWrong: WrongGuess, attempt: () => Promise<T>): Promise<T> {
  const key = guessKey(who.ip);
  const window = await takePlace(db, key, limit.limit, who.now);
  let wrong = false;
  try {
    return await attempt();
  } catch (error) {
    wrong = error instanceof AppError && isWrong(error);
    throw error;
  } finally {
    if (!wrong) await givePlaceBack(db, key, window);
  }
}

/**
 * The same count for attempts that must not hold a place while they run (sign-in, where many
 * people behind one address sign in at once): refused while the window is full, and a wrong guess
 * is counted afterwards.
 */
export async function countedGuess<T>(db: Database, who: Guesser, limit: GuessLimit, isWrong: WrongGuess, attempt: () => Promise<T>): Promise<T> {
  const key = guessKey(who.ip);
  const windowOpen = new Date(who.now.getTime() - guessPolicy.windowMs);
  const row = await readWindow(db, key, windowOpen);
  if (row !== undefined && row.failures >= limit.limit) throw refusal(row.windowStartedAt, who.now);
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AppError && isWrong(error)) {
      // Counted even when the window is full by now: the count only closes it, never reopens it.
      await takePlace(db, key, null, who.now);
    }
    throw error;
  }
}
