import type { Database, Executor } from '../db/database.ts';
import type { Actor } from './actor.ts';
import { createAudit, type Audit } from './audit.ts';
import type { Clock } from './clock.ts';
import { sqlState } from './errors.ts';
import { createOutbox, type Outbox } from './outbox.ts';
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
 * Calls `listener` right after each write transaction of this process commits on `db` (before
 * its caller sees the result). Returns the unsubscribe.
 */
export function onWriteCommit(db: Database, listener: () => void): () => void {
  let listeners = commitListeners.get(db);
  if (listeners === undefined) {
    listeners = new Set();
    commitListeners.set(db, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const retryableStates = new Set(['40001', '40P01']);
const maxAttempts = 3;

/**
 * Runs `work` in one transaction with its audit and outbox bound to it. Serialization failures and
 * deadlocks are retried (bounded); anything else rolls back everything the work wrote.
 */
export async function runInTransaction<T>(
  deps: UnitOfWorkDeps,
  actor: Actor | null,
  requestId: string | null,
  work: (ctx: AnonymousContext) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    let queued = false;
    try {
      const result = await deps.db.transaction(async (tx) => {
        const outbox = createOutbox(tx, deps.clock, deps.sealer);
        const tracked: Outbox = {
          email: (m, topic) => ((queued = true), outbox.email(m, topic)),
          event: (topic, p) => ((queued = true), outbox.event(topic, p)),
        };
        return work({
          actor,
          tx,
          clock: deps.clock,
          outbox: tracked,
          audit: createAudit(tx, actor, deps.clock, requestId),
          publicUrl: deps.publicUrl,
          sealer: deps.sealer,
        });
      });
      for (const listener of commitListeners.get(deps.db) ?? []) listener();
      if (queued) deps.onOutboxCommit?.();
      return result;
    } catch (error) {
      const state = sqlState(error);
      if (state !== undefined && retryableStates.has(state) && attempt < maxAttempts) continue;
      throw error;
    }
  }
}

/** A read that tried to write: a programming error, never a client's. */
function refuseWrite(): never {
  throw new Error('a read (GET) cannot write: use a POST, PUT, PATCH or DELETE route');
}

const readOnlyAudit: Audit = { record: async () => refuseWrite() };
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
