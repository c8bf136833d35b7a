import type { AuditEvent } from '@tierlink/contract';
import type { AuditRow } from './audit.repository.ts';

export function presentAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    action: row.action,
    actor: {
      userId: row.actorUserId,
      apiKeyId: row.actorApiKeyId,
      organizationId: row.actorOrganizationId,
      displayName: row.actorDisplayName,
    },
    onBehalfOf: row.onBehalfOfType !== null && row.onBehalfOfId !== null ? { type: row.onBehalfOfType, id: row.onBehalfOfId } : null,
    target: { type: row.targetType, id: row.targetId },
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}
