import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, AuditEvent } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { formatTable, note, out, printJson, when, type Column } from '../output.ts';
import { integer, seconds } from '../options.ts';

interface Options {
  limit: number;
  follow?: boolean;
  interval: number;
  target?: string;
  json?: boolean;
}

const columns: readonly Column<AuditEvent>[] = [
  { header: 'time', value: (e) => when(e.occurredAt) },
  { header: 'action', value: (e) => e.action },
  { header: 'actor', value: (e) => e.actor.displayName ?? (e.actor.apiKeyId !== null ? `API key ${e.actor.apiKeyId}` : 'system') },
  { header: 'target', value: (e) => `${e.target.type} ${e.target.id}` },
  { header: 'request', value: (e) => e.requestId ?? '-' },
];

/** A transaction may commit a little after a later one: events this much older than the newest seen still show up. */
const lateCommitMs = 60_000;
/** Pages read per poll at most; more new events than that between two polls are not all shown. */
const maxPagesPerPoll = 20;
/** Column widths while following (time, action, actor, target), so later rows line up with the first. */
const followWidths = [20, 28, 32, 50];

/** `tierlink audit tail`: the newest events, oldest first; `--follow` polls for more until Ctrl-C. */
export function registerAuditTail(audit: Command): void {
  audit
    .command('tail')
    .description('show the newest audit events; --follow keeps polling for new ones until Ctrl-C')
    .option('--limit <n>', 'events to show first (1-200)', integer(1, 200), 20)
    .option('-f, --follow', 'keep polling for newer events')
    .option('--interval <seconds>', 'seconds between polls with --follow (0.2-60)', seconds(0.2, 60), 2)
    .option('--target <id>', 'only events about this object')
    .option('--json', "print the API's JSON (with --follow: one event per line)")
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      if (options.follow !== true) {
        const page = await api.listAuditEvents({ query: { limit: options.limit, targetId: options.target } });
        if (options.json === true) return printJson(page);
        if (page.items.length === 0) return note('No audit events.');
        return out(formatTable([...page.items].reverse(), columns));
      }
      await follow(api, options);
    });
}

async function follow(api: ApiClient, options: Options): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  const seen = new Map<string, number>();
  let printedHeader = false;
  const print = (events: AuditEvent[]) => {
    for (const e of events) seen.set(e.id, Date.parse(e.occurredAt));
    if (events.length === 0) return;
    if (options.json === true) {
      for (const e of events) out(JSON.stringify(e));
      return;
    }
    const lines = formatTable(events, columns, followWidths).split('\n');
    out((printedHeader ? lines.slice(1) : lines).join('\n'));
    printedHeader = true;
  };
  try {
    // The first read also marks older events as seen, so a poll never prints history as new.
    const first = await api.listAuditEvents({ query: { limit: 200, targetId: options.target }, signal: stop.signal });
    for (const e of first.items) seen.set(e.id, Date.parse(e.occurredAt));
    const floor = first.items.length === 200 ? Math.min(...seen.values()) : -Infinity;
    print(first.items.slice(0, options.limit).reverse());
    while (!stop.signal.aborted) {
      await sleep(options.interval * 1000, undefined, { signal: stop.signal });
      const horizon = Math.max(floor, Math.max(...seen.values(), -Infinity) - lateCommitMs);
      print(await newerEvents(api, options.target, seen, horizon, stop.signal));
      for (const [id, time] of seen) if (time < horizon - lateCommitMs) seen.delete(id);
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** Unseen events at or after `horizon`, oldest first; pages are read while a whole page is new. */
async function newerEvents(api: ApiClient, target: string | undefined, seen: Map<string, number>, horizon: number, signal: AbortSignal): Promise<AuditEvent[]> {
  const fresh: AuditEvent[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPagesPerPoll; page += 1) {
    const result = await api.listAuditEvents({ query: { limit: 200, cursor, targetId: target }, signal });
    const unseen = result.items.filter((e) => !seen.has(e.id) && Date.parse(e.occurredAt) >= horizon);
    fresh.push(...unseen);
    if (unseen.length < result.items.length || result.nextCursor === null) break;
    cursor = result.nextCursor;
  }
  return fresh.reverse();
}
