import type { Command } from 'commander';
import { integer } from './options.ts';
import { note, printCsv, printJson, printTable, type Column } from './output.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListOptions {
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** Following cursors stops here even if the server kept answering with more (2 million rows at 200). */
const maxPages = 10_000;

/** The options every paged list takes. */
export function withListOptions(command: Command): Command {
  return command
    .option('--limit <n>', 'rows per page (1-200)', integer(1, 200))
    .option('--cursor <cursor>', 'continue from the nextCursor of an earlier page')
    .option('--all', 'follow nextCursor until the last page')
    .option('--json', "print the API's JSON")
    .option('--csv', 'print CSV');
}

/**
 * One page by default; `--all` follows `nextCursor` (and then prints one `{ items, nextCursor: null }`).
 * The page size is the largest the API allows when following, the API's default otherwise.
 */
export async function fetchList<T>(options: ListOptions, fetchPage: (query: { limit?: number; cursor?: string }) => Promise<Page<T>>): Promise<Page<T>> {
  const limit = options.limit ?? (options.all === true ? 200 : undefined);
  const first = await fetchPage({ limit, cursor: options.cursor });
  if (options.all !== true) return first;
  const items = [...first.items];
  const seen = new Set<string>();
  let cursor = first.nextCursor;
  for (let pages = 1; cursor !== null && pages < maxPages; pages += 1) {
    // A cursor that comes back twice would loop forever: stop instead.
    if (seen.has(cursor)) break;
    seen.add(cursor);
    const next = await fetchPage({ limit, cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  return { items, nextCursor: null };
}

export function printList<T>(page: Page<T>, columns: readonly Column<T>[], options: ListOptions, noun: string): void {
  if (options.json === true) return printJson(page);
  if (options.csv === true) return printCsv(page.items, columns);
  if (page.items.length === 0) note(`No ${noun}.`);
  else printTable(page.items, columns);
  if (page.nextCursor !== null) note(`More ${noun}: add --all, or --cursor ${page.nextCursor}`);
}

/** Fetches and prints a paged list: the whole body of most `… list` commands. */
export async function runList<T>(
  options: ListOptions,
  fetchPage: (query: { limit?: number; cursor?: string }) => Promise<Page<T>>,
  columns: readonly Column<T>[],
  noun: string,
): Promise<void> {
  printList(await fetchList(options, fetchPage), columns, options, noun);
}
