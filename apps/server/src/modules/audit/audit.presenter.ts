import type { AuditEvent } from '@tierlink/contract';
import type { CsvCell } from '../../platform/http/csv-response.ts';
import type { AuditRowWithName } from './audit.repository.ts';

export function presentAuditEvent({ event: row, targetName }: AuditRowWithName): AuditEvent {
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
    target: { type: row.targetType, id: row.targetId, name: targetName },
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}

/** The CSV export's columns, in order (codes, ids and JSON as the API gives them). */
export const auditCsvColumns = [
  'occurred_at',
  'action',
  'actor_name',
  'actor_user_id',
  'actor_api_key_id',
  'target_type',
  'target_id',
  'target_name',
  'on_behalf_of_type',
  'on_behalf_of_id',
  'request_id',
  'before',
  'after',
] as const;

/** One event as a CSV row (codes, ids and JSON as the API gives them). */
export function auditCsvCells({ event: e, targetName }: AuditRowWithName): CsvCell[] {
  return [
    e.occurredAt.toISOString(),
    e.action,
    e.actorDisplayName,
    e.actorUserId,
    e.actorApiKeyId,
    e.targetType,
    e.targetId,
    targetName,
    e.onBehalfOfType,
    e.onBehalfOfId,
    e.requestId,
    e.before === null ? null : JSON.stringify(e.before),
    e.after === null ? null : JSON.stringify(e.after),
  ];
}
