import { z } from 'zod';
import { Id, OrganizationSummary, Timestamp } from './common.ts';
import { DelegatedRole } from './roles.ts';

export const DelegatedAdminGrant = z
  .object({
    id: Id,
    partner: OrganizationSummary,
    organization: OrganizationSummary,
    roles: z.array(DelegatedRole),
    state: z.enum(['active', 'revoked', 'expired']),
    startsAt: Timestamp,
    endsAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'DelegatedAdminGrant' });
export type DelegatedAdminGrant = z.infer<typeof DelegatedAdminGrant>;

export const Partnership = z
  .object({
    id: Id,
    provider: OrganizationSummary,
    reseller: OrganizationSummary,
    state: z.enum(['active', 'ended']),
    createdAt: Timestamp,
    endedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Partnership' });
export type Partnership = z.infer<typeof Partnership>;

/** A provider as the reseller sees it (Indirect providers page). */
export const IndirectProvider = z
  .object({
    organization: OrganizationSummary,
    partnership: Partnership,
    /** The provider's delegated admin grant in the reseller's own organization, if still active. */
    delegatedAdmin: DelegatedAdminGrant.nullable(),
  })
  .meta({ id: 'IndirectProvider' });

/** A reseller as the provider sees it (Indirect resellers page). */
export const IndirectReseller = z
  .object({
    organization: OrganizationSummary,
    partnership: Partnership,
    delegatedAdmin: DelegatedAdminGrant.nullable(),
  })
  .meta({ id: 'IndirectReseller' });

export const EndedPartnership = z.object({
  partnership: Partnership,
  /** Delegated admin grants that stay in place after the partnership ended. */
  remainingDelegatedAdmin: z.array(DelegatedAdminGrant),
});
