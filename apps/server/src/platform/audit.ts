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
}

export type AuditEventRow = typeof auditEvents.$inferInsert;

/**
 * Queues audit events into `pending`; the unit of work writes them in the same transaction just
 * before it commits (see `runInTransaction`), so a change and its record commit together.
 */
export function createAudit(pending: AuditEventRow[], actor: Actor | null, clock: Clock, requestId: string | null): Audit {
  return {
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
