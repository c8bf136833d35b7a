import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { expectOk, type Client } from './harness.ts';

/*
 * Helpers of the sortable-list tests: walk a list through its cursors, the order the server
 * promises (key, then id, both in one direction), and an export read as CSV.
 */

export interface CountedPage<T> {
  items: T[];
  nextCursor: string | null;
  count: { value: number; exact: boolean } | null;
}

/** Every row of a list, following nextCursor with a small page. `url` already has a query. */
export async function walkList<T>(client: Client, url: string, limit = 2): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const page: CountedPage<T> = expectOk(await client.get<CountedPage<T>>(`${url}&limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`));
    expect(page.items.length).toBeLessThanOrEqual(limit);
    rows.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) return rows;
  }
  throw new Error('paging does not end');
}

/** The rows' ids in the list's promised order: `key`, then the id, both ascending or both descending. */
export function sortedIds<T>(rows: readonly T[], key: (row: T) => string, id: (row: T) => string, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => sign * (compare(key(a), key(b)) || compare(id(a), id(b)))).map(id);
}

/** An export: 200, text/csv, the header, and the rows. */
export async function readCsv(client: Client, url: string): Promise<{ header: string[]; rows: string[][]; raw: string }> {
  const reply = await client.get(url);
  expect(reply.status, reply.raw.slice(0, 200)).toBe(200);
  expect(String(reply.headers['content-type'])).toMatch(/^text\/csv/);
  expect(String(reply.headers['content-disposition'])).toMatch(/^attachment; filename="[a-z-]+\.csv"$/);
  const [header = [], ...rows] = parse(reply.raw) as string[][];
  return { header, rows, raw: reply.raw };
}

/** A cursor given with another sort or order: 400 validation_failed at cursor. */
export async function expectForeignCursor(client: Client, url: string): Promise<void> {
  const reply = await client.get<{ code: string; field?: string }>(url);
  expect([reply.status, reply.body.code, reply.body.field], url).toEqual([400, 'validation_failed', 'cursor']);
}
