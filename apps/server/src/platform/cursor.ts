import { countCap, type ListCount } from '@tierlink/contract';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { AppError } from './errors.ts';

/** Keyset cursors: the sort key of the last row, opaque to clients. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return key as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not one this API returned.', 'cursor');
}

/** Given `limit + 1` rows, the page and the cursor for the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** Escapes LIKE wildcards so a name filter is always a literal prefix. */
export function likePrefix(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Keyset condition for lists sorted ascending by (key, id): the rows after the cursor. A row-value
 * comparison, so a composite index on (key, id) serves it.
 */
export function afterKey(key: SQLWrapper, id: SQLWrapper, cursor: [string, string] | null): SQL | undefined {
  return cursor === null ? undefined : sql`(${key}, ${id}) > (${cursor[0]}, ${cursorId(cursor[1])}::uuid)`;
}

/** Keyset condition for newest-first lists sorted by (time desc, id desc). */
export function beforeTime(time: SQLWrapper, id: SQLWrapper, cursor: [string, string] | null): SQL | undefined {
  if (cursor === null) return undefined;
  if (!isoTime.test(cursor[0]) || Number.isNaN(Date.parse(cursor[0]))) throw badCursor();
  return sql`(${time}, ${id}) < (${cursor[0]}::timestamptz, ${cursorId(cursor[1])}::uuid)`;
}

const badCursor = () => new AppError('validation_failed', 'The cursor is not one this API returned.', 'cursor');
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A forged cursor must answer 400, not reach the database as a failing ::uuid cast (a 500). */
export function cursorId(id: unknown): string {
  if (typeof id !== 'string' || !uuidShape.test(id)) throw badCursor();
  return id;
}

/** Keyset condition for oldest-first lists sorted by (time, id). */
export function afterTime(time: SQLWrapper, id: SQLWrapper, cursor: [string, string] | null): SQL | undefined {
  if (cursor === null) return undefined;
  if (!isoTime.test(cursor[0]) || Number.isNaN(Date.parse(cursor[0]))) throw badCursor();
  return sql`(${time}, ${id}) > (${cursor[0]}::timestamptz, ${cursorId(cursor[1])}::uuid)`;
}

/**
 * How many rows a list's filter matches, counting at most `countCap + 1` of them: `rows` is the
 * list's own select (same filter, no cursor), limited by the caller to `countCap + 1`. Past the
 * cap the answer is "more than countCap" (`exact: false`), so a count never scans a whole book.
 */
export async function countUpTo(db: Executor, rows: SQLWrapper): Promise<ListCount> {
  const result = (await db.execute(sql`select count(*)::int as n from (${rows}) as counted`)) as unknown as { rows: { n: number }[] };
  const n = Number(result.rows[0]?.n ?? 0);
  return n > countCap ? { value: countCap, exact: false } : { value: n, exact: true };
}

