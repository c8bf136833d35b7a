import type { AuditEntry } from '../../platform/audit.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { insertRelationship, lockActiveRelationship, type RelationshipRow } from './customers.repository.ts';

/**
 * Makes `partner` a reseller of record for `customer`, unless it already is (then the existing
 * relationship is returned with `created: false`).
 */
export async function createRelationship(
  ctx: UseCaseContext,
  input: { partnerId: string; customerId: string; source: 'invitation' | 'import'; invitationId: string | null },
): Promise<{ relationship: RelationshipRow; created: boolean }> {
  const existing = await lockActiveRelationship(ctx.tx, input.partnerId, input.customerId);
  if (existing !== undefined) return { relationship: existing, created: false };
  const relationship = await insertRelationship(ctx.tx, {
    id: newTimeOrderedId(),
    partnerOrganizationId: input.partnerId,
    customerOrganizationId: input.customerId,
    state: 'active',
    source: input.source,
    invitationId: input.invitationId,
    createdAt: ctx.clock.now(),
  });
  await ctx.audit.record(relationshipCreatedEvent(relationship));
  return { relationship, created: true };
}

/** The audit event of a relationship created (also by an invitation's acceptance, which writes its own rows). */
export function relationshipCreatedEvent(relationship: RelationshipRow): AuditEntry {
  return {
    action: 'reseller_relationship.created',
    target: { type: 'reseller_relationship', id: relationship.id },
    organizationIds: [relationship.partnerOrganizationId, relationship.customerOrganizationId],
    after: { state: 'active', source: relationship.source },
  };
}
