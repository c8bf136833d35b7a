import { auditEvents } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import type { Clock } from './clock.ts';
import { newTimeOrderedId } from './ids.ts';

export interface AuditEntry {
  action: string;
  target: { type: string; id: string };
  /** Every organization the change concerns; each may read the event. */
  organizationIds: readonly string[];
  onBehalfOf?: { type: string; id: string };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** For changes made before an actor exists (sign-up): who to record instead. */
  actor?: Pick<Actor, 'userId' | 'organizationId' | 'displayName'>;
}

export interface Audit {
  record(entry: AuditEntry): Promise<void>;
  /**
   * The who and when of up to `records` audit records that the caller's own statement writes
   * (see `auditedChange`): for a write that is one statement, its audit rows and events included.
   */
  stamp(records: number): AuditStamp;
}

/** What audit records take from their context rather than from the change (see `Audit.stamp`). */
export interface AuditStamp {
  /** The records' ids: the statement's n-th record (from 1) takes the n-th. */
  readonly ids: readonly string[];
  /** Their events' outbox message ids, likewise (unused for a record whose action is not published). */
  readonly eventIds: readonly string[];
  readonly occurredAt: Date;
  readonly actorUserId: string | null;
  readonly actorApiKeyId: string | null;
  readonly actorOrganizationId: string | null;
  readonly actorDisplayName: string | null;
  readonly requestId: string | null;
}

export type AuditEventRow = typeof auditEvents.$inferInsert;

/**
 * Queues audit events into `pending`; the unit of work writes them in the same transaction just
 * before it commits (see `runInTransaction`), so a change and its record commit together.
 */
export function createAudit(pending: AuditEventRow[], actor: Actor | null, clock: Clock, requestId: string | null): Audit {
  return {
    stamp: (records) => stampOf(records, actor, clock, requestId),
    async record(entry) {
      const who = entry.actor ?? actor;
      pending.push({
        id: newTimeOrderedId(),
        occurredAt: clock.now(),
        action: entry.action,
        actorUserId: who?.userId ?? null,
        actorApiKeyId: entry.actor === undefined ? (actor?.apiKeyId ?? null) : null,
        actorOrganizationId: who?.organizationId ?? null,
        actorDisplayName: who?.displayName ?? null,
        onBehalfOfType: entry.onBehalfOf?.type ?? null,
        onBehalfOfId: entry.onBehalfOf?.id ?? null,
        targetType: entry.target.type,
        targetId: entry.target.id,
        // The acting organization always reads what it did (e.g. the operator's imports), besides the parties.
        organizationIds: [...new Set([...entry.organizationIds, ...(who?.organizationId ? [who.organizationId] : [])])],
        before: entry.before ?? null,
        after: entry.after ?? null,
        requestId,
      });
    },
  };
}

/** The stamp of up to `records` records made now by `actor` (see `Audit.stamp`). */
export function stampOf(records: number, actor: Actor | null, clock: Clock, requestId: string | null): AuditStamp {
  if (!Number.isSafeInteger(records) || records < 1) throw new Error(`a stamp is for at least one record, not ${records}`);
  const ids = (): string[] => Array.from({ length: records }, () => newTimeOrderedId());
  return {
    ids: ids(),
    eventIds: ids(),
    occurredAt: clock.now(),
    actorUserId: actor?.userId ?? null,
    actorApiKeyId: actor?.apiKeyId ?? null,
    actorOrganizationId: actor?.organizationId ?? null,
    actorDisplayName: actor?.displayName ?? null,
    requestId,
  };
}
