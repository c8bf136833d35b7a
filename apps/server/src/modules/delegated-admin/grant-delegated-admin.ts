import type { DelegatedRole } from '@tierlink/contract';
import type { AuditEntry } from '../../platform/audit.ts';
import { newId } from '../../platform/ids.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import { insertGrant } from './delegated-admin.repository.ts';

export interface GrantInput {
  partnerOrganizationId: string;
  organizationId: string;
  roles: readonly DelegatedRole[];
  endsAt: Date | null;
  origin: { type: 'partnership' | 'reseller_relationship'; id: string };
}

/** Called by the use case that accepted an invitation, in its transaction. */
export async function grantDelegatedAdmin(ctx: UseCaseContext, input: GrantInput): Promise<GrantRow> {
  const now = ctx.clock.now();
  const grant = await insertGrant(ctx.tx, {
    id: newId(),
    organizationId: input.organizationId,
    partnerOrganizationId: input.partnerOrganizationId,
    roles: [...input.roles],
    state: 'active',
    startsAt: now,
    endsAt: input.endsAt,
    originType: input.origin.type,
    originId: input.origin.id,
    createdAt: now,
  });
  await ctx.audit.record(grantedEvent(grant));
  return grant;
}

/** The audit event of a grant created (also by an invitation's acceptance, which writes its own rows). */
export function grantedEvent(grant: GrantRow): AuditEntry {
  return {
    action: 'delegated_admin.granted',
    target: { type: 'delegated_admin_grant', id: grant.id },
    organizationIds: [grant.organizationId, grant.partnerOrganizationId],
    onBehalfOf: { type: grant.originType, id: grant.originId },
    after: { roles: grant.roles, endsAt: grant.endsAt?.toISOString() ?? null },
  };
}
