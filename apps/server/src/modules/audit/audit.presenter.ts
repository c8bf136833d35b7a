import type { AuditEvent } from '@tierlink/contract';
import { stringify } from 'csv-stringify/sync';
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
const csvColumns = [
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

export const auditCsvHeader = stringify([csvColumns]);

/** One batch of events as CSV lines (RFC 4180 quoting by csv-stringify; formulas are not expanded by us). */
export function auditCsvLines(rows: readonly AuditRowWithName[]): string {
  return stringify(
    rows.map(({ event: e, targetName }) => [
      e.occurredAt.toISOString(),
      e.action,
      e.actorDisplayName ?? '',
      e.actorUserId ?? '',
      e.actorApiKeyId ?? '',
      e.targetType,
      e.targetId,
      targetName ?? '',
      e.onBehalfOfType ?? '',
      e.onBehalfOfId ?? '',
      e.requestId ?? '',
      e.before === null ? '' : JSON.stringify(e.before),
      e.after === null ? '' : JSON.stringify(e.after),
    ]),
  );
}
