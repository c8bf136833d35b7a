import { z } from 'zod';
import { CountFlag, defaultPageSize, FilterText, Id, maxPageSize, OrganizationSummary, SortOrder, Timestamp } from './common.ts';
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

/** What the lists of indirect providers and resellers may be sorted by (`since`: when the partnership began); ties by id. */
export const partnershipSorts = ['name', 'country', 'since'] as const;
export type PartnershipSort = (typeof partnershipSorts)[number];

const PartnershipFilter = z.object({
  /** Case-insensitive name prefix. */
  name: FilterText(200).min(1).optional(),
  /** Case-insensitive prefix of the name or of the domain. */
  search: FilterText(253).min(1).optional(),
  sort: z.enum(partnershipSorts).default('name'),
  order: SortOrder.default('asc'),
});

export const PartnershipListQuery = PartnershipFilter.extend({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
}).strict();
export type PartnershipListQuery = z.infer<typeof PartnershipListQuery>;

export const PartnershipExportQuery = PartnershipFilter.strict();
