import { sql } from 'drizzle-orm';
import { publishedActions } from '@tierlink/contract';
import { preparedSql, type Database, type Executor, type Tx } from '../db/database.ts';
import { auditEvents, outboxMessages } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { createAudit, stampOf, type Audit, type AuditEventRow } from './audit.ts';
import { publishedEvent } from './audited-change.ts';
import type { Clock } from './clock.ts';
import { sqlState } from './errors.ts';
import { createOutbox, type Outbox, type OutboxRow } from './outbox.ts';
import type { Sealer } from './seal.ts';

/** What every use case receives. Use cases never open their own transaction. */
export interface UseCaseContext {
  readonly actor: Actor;
  /** The open transaction; for a read (GET), the database itself: see `runRead`. */
  readonly tx: Executor;
  readonly clock: Clock;
  readonly outbox: Outbox;
  readonly audit: Audit;
  readonly publicUrl: string;
  /** Seals secrets that must be stored readable by the server only (TOTP seeds). */
  readonly sealer: Sealer;
}

/** The same, for the few use cases that run without a signed-in actor (sign-up, invitation preview). */
export type AnonymousContext = Omit<UseCaseContext, 'actor'> & { readonly actor: Actor | null };

export interface UnitOfWorkDeps {
  db: Database;
  clock: Clock;
  sealer: Sealer;
  publicUrl: string;
  /** Called after a transaction that queued outbox messages commits. */
  onOutboxCommit?: () => void;
}

const commitListeners = new WeakMap<Database, Set<() => void>>();

/**
 * Calls `listener` right after a write transaction of this process that made in-process caches
 * stale commits on `db` (before its caller sees the result). Triggers on the rows such caches hold
 * mark their transaction by setting `tierlink.caches_stale` (migrations 0008, 0021); a transaction
 * that wrote no audit or outbox row is not read and counts as stale. Returns the unsubscribe.
 */
export function onStaleCommit(db: Database, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (listeners === undefined) {
    listeners = new Set();
    commitListeners.set(db, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Rows of each kind per statement, to bound one statement's size in a large sweep. */
const rowsPerStatement = 1000;

/**
 * Writes the audit events and outbox messages a unit of work queued inside its transaction, right
 * before COMMIT: both kinds in one named statement (one round trip, planned once per connection
 * whatever the number of rows: each kind is one JSON array), in chunks for a large sweep.
 */
async function writeQueued(tx: Tx, audit: AuditEventRow[], outbox: OutboxRow[]): Promise<boolean> {
  let stale = true;
  for (let start = 0; start < Math.max(audit.length, outbox.length); start += rowsPerStatement) {
    const events = audit.slice(start, start + rowsPerStatement).map((e, n) => ({
      n,
      id: e.id,
      occurred_at: e.occurredAt,
      action: e.action,
      actor_user_id: e.actorUserId ?? null,
      actor_api_key_id: e.actorApiKeyId ?? null,
      actor_organization_id: e.actorOrganizationId ?? null,
      actor_display_name: e.actorDisplayName ?? null,
      on_behalf_of_type: e.onBehalfOfType ?? null,
      on_behalf_of_id: e.onBehalfOfId ?? null,
      target_type: e.targetType,
      target_id: e.targetId,
      organization_ids: e.organizationIds,
      before: e.before ?? null,
      after: e.after ?? null,
      request_id: e.requestId ?? null,
    }));
    const messages = outbox.slice(start, start + rowsPerStatement).map((m, n) => ({
      n,
      id: m.id,
      kind: m.kind,
      topic: m.topic,
      ordering_key: m.orderingKey ?? null,
      payload: m.payload ?? null,
      state: m.state,
      next_attempt_at: m.nextAttemptAt,
      created_at: m.createdAt,
    }));
    const [row] = await queuedRows(tx).execute({ audit: JSON.stringify(events), outbox: JSON.stringify(messages) });
    stale = row?.stale !== false;
  }
  return stale;
}

/**
 * Outbox rows are inserted in queue order: their `sequence` orders a resource's events. The
 * statement also answers whether a trigger marked the transaction's writes as making in-process
 * caches stale: it runs after every other statement of the transaction.
 */
const queuedRows = preparedSql<{ stale: boolean }>(
  'platform_audit_outbox',
  sql`with audit as (
    insert into ${auditEvents} (id, occurred_at, action, actor_user_id, actor_api_key_id, actor_organization_id, actor_display_name,
      on_behalf_of_type, on_behalf_of_id, target_type, target_id, organization_ids, before, after, request_id)
    select a.id, a.occurred_at, a.action, a.actor_user_id, a.actor_api_key_id, a.actor_organization_id, a.actor_display_name,
      a.on_behalf_of_type, a.on_behalf_of_id, a.target_type, a.target_id, a.organization_ids, a.before, a.after, a.request_id
    from jsonb_to_recordset(${sql.placeholder('audit')}::jsonb) as a(n int, id uuid, occurred_at timestamptz, action text, actor_user_id uuid,
      actor_api_key_id uuid, actor_organization_id uuid, actor_display_name text, on_behalf_of_type text, on_behalf_of_id uuid,
      target_type text, target_id uuid, organization_ids uuid[], before jsonb, after jsonb, request_id text)
    order by a.n
  ),
  outbox as (
    insert into ${outboxMessages} (id, kind, topic, ordering_key, payload, state, next_attempt_at, created_at)
    select o.id, o.kind, o.topic, o.ordering_key, o.payload, o.state, o.next_attempt_at, o.created_at
    from jsonb_to_recordset(${sql.placeholder('outbox')}::jsonb) as o(n int, id uuid, kind text, topic text, ordering_key text, payload text,
      state text, next_attempt_at timestamptz, created_at timestamptz)
    order by o.n
  )
  select coalesce(current_setting('tierlink.caches_stale', true) = 'on', false) as stale`,
);

const retryableStates = new Set(['40001', '40P01']);
const maxAttempts = 3;

/** Runs `attempt` again after a serialization failure or a deadlock, up to `maxAttempts` in all. */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      const state = sqlState(error);
      if (state !== undefined && retryableStates.has(state) && n < maxAttempts) continue;
      throw error;
    }
  }
}

/**
 * Runs `work` in one transaction with its audit and outbox bound to it (their rows are written when
 * the work returns, before COMMIT; a work that throws writes none). Serialization failures and
 * deadlocks are retried (bounded); anything else rolls back everything the work wrote.
 */
export async function runInTransaction<T>(
  deps: UnitOfWorkDeps,
  actor: Actor | null,
  requestId: string | null,
  work: (ctx: AnonymousContext) => Promise<T>,
): Promise<T> {
  return retried(async () => {
    let queued = false;
    let stale = true;
    const result = await deps.db.transaction(async (tx) => {
      // Queued by the work, written only when it succeeds, still before COMMIT.
      const auditRows: AuditEventRow[] = [];
      const outboxRows: OutboxRow[] = [];
      const outbox = createOutbox(outboxRows, deps.clock, deps.sealer);
      const tracked: Outbox = {
        email: (m, topic) => ((queued = true), outbox.email(m, topic)),
        event: (topic, p, key) => ((queued = true), outbox.event(topic, p, key)),
      };
      const audit = createAudit(auditRows, actor, deps.clock, requestId);
      const done = await work({
        actor,
        tx,
        clock: deps.clock,
        outbox: tracked,
        audit: {
          record: (entry) => audit.record(entry),
          // The caller's statement writes the records' events in this transaction.
          stamp: (records) => ((queued = true), audit.stamp(records)),
        },
        publicUrl: deps.publicUrl,
        sealer: deps.sealer,
      });
      for (const row of auditRows) {
        if (publishedActions.has(row.action)) await tracked.event(row.action, publishedEvent(row), `${row.targetType}:${row.targetId}`);
      }
      stale = await writeQueued(tx, auditRows, outboxRows);
      return done;
    });
    if (stale) for (const listener of commitListeners.get(deps.db) ?? []) listener();
    if (queued) deps.onOutboxCommit?.();
    return result;
  });
}

/**
 * Runs a write whose `work` changes the database in exactly one statement, its audit row and its
 * published event included (`Audit.stamp` with `auditedChange`), in autocommit: the statement is
 * the transaction, and the round trips of BEGIN and COMMIT are saved (with the separate audit
 * statement, a third of a subscription patch's cost on the database: docs/scale.md). `work` may read around it (each read sees its own moment, as in
 * `runRead`) but must not make a second write: only `stamp` is open, `record` and the outbox
 * refuse. The statement must not write the rows whose triggers mark caches stale (credentials,
 * migration 0021): their flag is not read back here, so a cache would keep the old value.
 */
export async function runOneStatement<T>(
  deps: UnitOfWorkDeps,
  actor: Actor,
  requestId: string | null,
  work: (ctx: UseCaseContext) => Promise<T>,
): Promise<T> {
  return retried(async () => {
    let queued = false;
    const result = await work({
      actor,
      tx: deps.db,
      clock: deps.clock,
      outbox: oneStatementOutbox,
      audit: {
        record: async () => refuseSecondWrite(),
        stamp: (records) => ((queued = true), stampOf(records, actor, deps.clock, requestId)),
      },
      publicUrl: deps.publicUrl,
      sealer: deps.sealer,
    });
    if (queued) deps.onOutboxCommit?.();
    return result;
  });
}

/** A one-statement write that tried to queue a row apart: a programming error, never a client's. */
function refuseSecondWrite(): never {
  throw new Error('a one-statement write writes its audit and outbox rows in its statement: see runOneStatement');
}

const oneStatementOutbox: Outbox = { email: async () => refuseSecondWrite(), event: async () => refuseSecondWrite() };

/** A read that tried to write: a programming error, never a client's. */
function refuseWrite(): never {
  throw new Error('a read (GET) cannot write: use a POST, PUT, PATCH or DELETE route');
}

const readOnlyAudit: Audit = { record: async () => refuseWrite(), stamp: () => refuseWrite() };
const readOnlyOutbox: Outbox = { email: async () => refuseWrite(), event: async () => refuseWrite() };

/**
 * Runs a read without BEGIN/COMMIT: each statement sees what was committed when it started. Two
 * statements of one read may see two moments (a grant revoked in between shows as revoked), which
 * a page read tolerates; saving the two round trips is most of a page's cost on the database.
 * Audit and outbox refuse, so a read can never write half a workflow.
 */
export async function runRead<T>(
  deps: UnitOfWorkDeps,
  actor: Actor | null,
  work: (ctx: AnonymousContext) => Promise<T>,
): Promise<T> {
  return work({
    actor,
    tx: deps.db,
    clock: deps.clock,
    outbox: readOnlyOutbox,
    audit: readOnlyAudit,
    publicUrl: deps.publicUrl,
    sealer: deps.sealer,
  });
}
