import type { AuditEntry } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findActivePartnership } from './partnerships.queries.ts';
import { insertPartnership, type PartnershipRow } from './partnerships.repository.ts';

/** Links provider and reseller; called by invitation acceptance in its transaction. */
export async function createPartnership(
  ctx: UseCaseContext,
  input: { providerOrganizationId: string; resellerOrganizationId: string; invitationId: string },
): Promise<PartnershipRow> {
  if ((await findActivePartnership(ctx.tx, input.providerOrganizationId, input.resellerOrganizationId, { lock: true })) !== undefined) {
    throw new AppError('partnership_exists', 'This provider is already your indirect provider.');
  }
  const partnership = await insertPartnership(ctx.tx, {
    id: newTimeOrderedId(),
    providerOrganizationId: input.providerOrganizationId,
    resellerOrganizationId: input.resellerOrganizationId,
    state: 'active',
    invitationId: input.invitationId,
    createdAt: ctx.clock.now(),
  });
  await ctx.audit.record(partnershipCreatedEvent(partnership));
  return partnership;
}

/** The audit event of a partnership created (also by an invitation's acceptance, which writes its own rows). */
export function partnershipCreatedEvent(partnership: PartnershipRow): AuditEntry {
  return {
    action: 'partnership.created',
    target: { type: 'partnership', id: partnership.id },
    organizationIds: [partnership.providerOrganizationId, partnership.resellerOrganizationId],
    after: { state: 'active' },
  };
}
