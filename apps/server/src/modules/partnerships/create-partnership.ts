import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findActivePartnership, insertPartnership, type PartnershipRow } from './partnerships.repository.ts';

/** Links provider and reseller; called by invitation acceptance in its transaction. */
export async function createPartnership(
  ctx: UseCaseContext,
  input: { providerOrganizationId: string; resellerOrganizationId: string; invitationId: string },
): Promise<PartnershipRow> {
  if ((await findActivePartnership(ctx.tx, input.providerOrganizationId, input.resellerOrganizationId, { lock: true })) !== undefined) {
    throw new AppError('partnership_exists', 'This provider is already your indirect provider.');
  }
  const partnership = await insertPartnership(ctx.tx, {
    id: newId(),
    providerOrganizationId: input.providerOrganizationId,
    resellerOrganizationId: input.resellerOrganizationId,
    state: 'active',
    invitationId: input.invitationId,
    createdAt: ctx.clock.now(),
  });
  await ctx.audit.record({
    action: 'partnership.created',
    target: { type: 'partnership', id: partnership.id },
    organizationIds: [input.providerOrganizationId, input.resellerOrganizationId],
    after: { state: 'active' },
  });
  return partnership;
}
