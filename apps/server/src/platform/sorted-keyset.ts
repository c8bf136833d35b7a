import { asc, desc, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { AppError } from './errors.ts';

/*
 * Keyset paging for lists the caller may sort by one of several keys: the cursor names the sort and
 * order it was made with and carries the last row's key values and id, so that a cursor of another
 * sort (or a forged one) is refused with 400 `validation_failed` at `cursor` instead of paging
 * wrongly or failing a cast in the database (a 500).
 */

/** The SQL type of a key column, as the cursor's value is cast and checked. */
export type KeyType = 'text' | 'uuid' | 'int' | 'timestamptz';

/** One sort: its key columns (the row's id is the last tie-breaker, added here). */
export interface SortKey {
  columns: readonly { sql: SQLWrapper; type: KeyType }[];
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const badCursor = () => new AppError('validation_failed', 'The cursor is not one this API returned for this sort.', 'cursor');

function valid(type: KeyType, value: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'uuid':
      return typeof value === 'string' && uuidShape.test(value);
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'timestamptz':
      return typeof value === 'string' && isoTime.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** The cursor's tag: the sort and order it belongs to. */
const tagOf = (sort: string, order: 'asc' | 'desc') => `${sort}.${order}`;

export function encodeSortCursor(sort: string, order: 'asc' | 'desc', values: readonly (string | number)[], id: string): string {
  return Buffer.from(JSON.stringify([tagOf(sort, order), ...values, id]), 'utf8').toString('base64url');
}

/** Where a page starts: the key values and id of the last row before it. */
export interface SortAfter {
  values: (string | number)[];
  id: string;
}

/** The key values and id after which the page starts; null without a cursor; 400 for any other cursor. */
export function decodeSortCursor(
  cursor: string | undefined,
  sort: string,
  order: 'asc' | 'desc',
  key: SortKey,
): SortAfter | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== key.columns.length + 2 || parsed[0] !== tagOf(sort, order)) throw badCursor();
  const values: unknown[] = parsed.slice(1, -1);
  const id: unknown = parsed[parsed.length - 1];
  if (!key.columns.every((c, n) => valid(c.type, values[n])) || !valid('uuid', id)) throw badCursor();
  return { values: values as (string | number)[], id: id as string };
}

/** The rows after the cursor in the list's order: one row-value comparison over (keys…, id). */
export function keysetAfterSorted(key: SortKey, id: SQLWrapper, order: 'asc' | 'desc', after: SortAfter | null): SQL | undefined {
  if (after === null) return undefined;
  const left = sql.join([...key.columns.map((c) => sql`${c.sql}`), sql`${id}`], sql`, `);
  const right = sql.join(
    [...key.columns.map((c, n) => sql`${after.values[n]}::${sql.raw(c.type === 'int' ? 'integer' : c.type)}`), sql`${after.id}::uuid`],
    sql`, `,
  );
  return order === 'asc' ? sql`(${left}) > (${right})` : sql`(${left}) < (${right})`;
}

/** ORDER BY the keys and the id, all in one direction (so one composite index can serve it). */
export function orderBySorted(key: SortKey, id: SQLWrapper, order: 'asc' | 'desc'): SQL[] {
  const direction = order === 'asc' ? asc : desc;
  return [...key.columns.map((c) => direction(c.sql)), direction(id)];
}

/** Given `limit + 1` rows, the page and the cursor of the next one, made under `sort` and `order`. */
export function toSortedPage<T>(rows: T[], limit: number, sort: string, order: 'asc' | 'desc', keyOf: (row: T) => SortAfter): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || last === undefined) return { items, nextCursor: null };
  const { values, id } = keyOf(last);
  return { items, nextCursor: encodeSortCursor(sort, order, values, id) };
}
