import { isIP } from 'node:net';
import type { Database } from '../../db/database.ts';
import { AppError, RetryLaterError } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { hashToken } from '../../platform/tokens.ts';
import { guessPolicy } from './identity.policy.ts';
import { countGuessFailure, readGuessWindow } from './throttles.repository.ts';

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

/**
 * The wait never exceeds one window: another request (or process) may have opened the window at a
 * moment later than this request's `now`, which was taken when it arrived.
 */
function refusal(windowStartedAt: Date, now: Date): RetryLaterError {
  return new RetryLaterError(
    'rate_limited',
    'Too many wrong or unknown links or codes from your address; wait and try again.',
    Math.min(guessPolicy.windowMs, windowStartedAt.getTime() + guessPolicy.windowMs - now.getTime()) / 1000,
  );
}

/** An attempt running in this process, and the id of its wrong guess's row once it is being counted. */
interface RunningGuess {
  rowId: string | null;
}

/**
 * Attempts running now per client key in this process: each holds a place in the window while it
 * runs, so a burst of parallel guesses gets no more through than one after another. Held in
 * memory, not in the database, so that a success writes nothing (a database place taken and given
 * back cost two autocommit writes to one hot row per client on every success).
 */
const running = new Map<string, Set<RunningGuess>>();

/**
 * Counts a wrong guess (one row per failure, outside the attempt's transaction, so a rolled-back
 * attempt still counts) and throws what the client is answered: the attempt's own error while the
 * window had room for it, else 429. The count is taken one after another per key across every
 * process (see `countGuessFailure`), so at most `limit` wrong guesses per window are answered as
 * such, even when attempts on several processes ran side by side.
 */
async function countWrongGuess(db: Database, key: string, limit: number, now: Date, error: unknown, guess: RunningGuess): Promise<never> {
  const id = newTimeOrderedId();
  guess.rowId = id;
  const counted = await countGuessFailure(db, key, new Date(now.getTime() - guessPolicy.windowMs), now, limit, id);
  if (!counted.counted) throw refusal(counted.windowStartedAt, now);
  throw error;
}

/**
 * Runs an attempt with a token from the client (RATE-03): refused with 429 and Retry-After once the
 * address's wrong guesses fill the window. Only wrong or unknown tokens are written down, so
 * legitimate use is never throttled by its own successes, and a success only reads the count.
 *
 * Exactness: in one process, the wrong guesses counted plus the attempts running never exceed the
 * limit (a place is taken in memory before the read). An attempt whose row the read already sees
 * is not counted again as running: its row commits before it leaves the running set, so without
 * that a burst arriving over time saw some guesses twice and refused attempts the window had room
 * for. Across processes the running attempts are not shared, but the failures are counted one at
 * a time per key, so a wrong guess beyond the limit is answered 429 like a refused one: 30 wrong
 * tokens at once over two processes still get exactly 10 answers and 20 × 429.
 */
export async function throttledGuess<T>(db: Database, who: Guesser, limit: GuessLimit, isWrong: WrongGuess, attempt: () => Promise<T>): Promise<T> {
  const key = guessKey(who.ip);
  const guesses = running.get(key) ?? new Set<RunningGuess>();
  running.set(key, guesses);
  const before = [...guesses];
  const mine: RunningGuess = { rowId: null };
  guesses.add(mine);
  try {
    const window = await readGuessWindow(db, key, new Date(who.now.getTime() - guessPolicy.windowMs));
    const seen = new Set(window?.ids ?? []);
    const ahead = before.filter((guess) => guess.rowId === null || !seen.has(guess.rowId)).length;
    if ((window?.failures ?? 0) + ahead >= limit.limit) throw refusal(window?.windowStartedAt ?? who.now, who.now);
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof AppError && isWrong(error)) return await countWrongGuess(db, key, limit.limit, who.now, error, mine);
      throw error;
    }
  } finally {
    guesses.delete(mine);
    if (guesses.size === 0 && running.get(key) === guesses) running.delete(key);
  }
}

/**
 * The same count for attempts that must not hold a place while they run (sign-in, where many
 * people behind one address sign in at once): refused while the window is full, and a wrong guess
 * is counted afterwards (answered 429 when the window filled meanwhile).
 */
export async function countedGuess<T>(db: Database, who: Guesser, limit: GuessLimit, isWrong: WrongGuess, attempt: () => Promise<T>): Promise<T> {
  const key = guessKey(who.ip);
  const window = await readGuessWindow(db, key, new Date(who.now.getTime() - guessPolicy.windowMs));
  if (window !== undefined && window.failures >= limit.limit) throw refusal(window.windowStartedAt, who.now);
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof AppError && isWrong(error)) return countWrongGuess(db, key, limit.limit, who.now, error, { rowId: null });
    throw error;
  }
}
