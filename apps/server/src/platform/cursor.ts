import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
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
  return cursor === null ? undefined : sql`(${key}, ${id}) > (${cursor[0]}, ${cursor[1]}::uuid)`;
}

/** Keyset condition for newest-first lists sorted by (time desc, id desc). */
export function beforeTime(time: SQLWrapper, id: SQLWrapper, cursor: [string, string] | null): SQL | undefined {
  return cursor === null ? undefined : sql`(${time}, ${id}) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)`;
}
