import { z } from 'zod';
import { Country, CountFlag, DisplayName, Domain, FilterText, Id, maxPageSize, defaultPageSize, OrganizationSummary, SortOrder, Timestamp } from './common.ts';
import { DelegatedAdminGrant, Partnership } from './partnerships.ts';
import { Invitation } from './invitations.ts';
import { Subscription } from './commerce.ts';

export const ResellerRelationship = z
  .object({
    id: Id,
    partner: OrganizationSummary,
    customer: OrganizationSummary,
    state: z.enum(['active', 'removed']),
    source: z.enum(['invitation', 'import']),
    createdAt: Timestamp,
    removedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ResellerRelationship' });
export type ResellerRelationship = z.infer<typeof ResellerRelationship>;

export const Customer = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.string(),
    country: z.string(),
    relationship: ResellerRelationship,
    /** The caller's own delegated admin grants in this customer's organization. */
    delegatedAdmin: z.array(DelegatedAdminGrant),
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof Customer>;

/** What a customer list may be sorted by (`since`: when the relationship was created); ties by customer id. */
export const customerSorts = ['name', 'domain', 'country', 'since'] as const;
export type CustomerSort = (typeof customerSorts)[number];

const CustomerFilter = z.object({
  /** Case-insensitive name prefix. */
  name: FilterText(200).min(1).optional(),
  /** Case-insensitive prefix of the name or of the domain. */
  search: FilterText(253).min(1).optional(),
  sort: z.enum(customerSorts).default('name'),
  order: SortOrder.default('asc'),
});

/** A page of customers; the default (name, ascending, no filter) is the order the list always had. */
export const CustomerListQuery = CustomerFilter.extend({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
}).strict();
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

/** The CSV export takes the list's filters and sort, without paging: every matching customer. */
export const CustomerExportQuery = CustomerFilter.strict();

/** What a customer admin's partner list may be sorted by; ties by the partner's id. */
export const customerPartnerSorts = ['name', 'domain', 'country'] as const;
export type CustomerPartnerSort = (typeof customerPartnerSorts)[number];

const CustomerPartnerFilter = z.object({
  /** Case-insensitive name prefix. */
  name: FilterText(200).min(1).optional(),
  /** Case-insensitive prefix of the name or of the domain. */
  search: FilterText(253).min(1).optional(),
  sort: z.enum(customerPartnerSorts).default('name'),
  order: SortOrder.default('asc'),
});

export const CustomerPartnerListQuery = CustomerPartnerFilter.extend({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
}).strict();

export const CustomerPartnerExportQuery = CustomerPartnerFilter.strict();

export const RemoveRelationshipBody = z
  .object({
    attestation: z.boolean(),
    revokeDelegatedAdmin: z.boolean().default(false),
    /** Email the customer that the relationship ended (off by default, as the seed says). */
    notifyCustomer: z.boolean().default(false),
  })
  .strict();

export const RemovedRelationship = z.object({
  relationship: ResellerRelationship,
  /** Grants still active after the removal: revoke them here or from the customer's page. */
  remainingDelegatedAdmin: z.array(DelegatedAdminGrant),
  revokedDelegatedAdmin: z.array(DelegatedAdminGrant),
  /** The caller's subscriptions for this customer, which stay as they are. */
  remainingSubscriptions: z.array(Subscription),
});

export const GrantParams = z.object({ id: Id, grantId: Id }).strict();

export const AcceptedInvitation = z.object({
  invitation: Invitation,
  partnership: Partnership.nullable(),
  relationships: z.array(ResellerRelationship),
  delegatedAdmin: z.array(DelegatedAdminGrant),
});

/** A partner as the customer admin sees it. */
export const CustomerPartner = z
  .object({
    organization: OrganizationSummary,
    relationship: ResellerRelationship.nullable(),
    delegatedAdmin: z.array(DelegatedAdminGrant),
  })
  .meta({ id: 'CustomerPartner' });

export const ImportRelationshipRow = z
  .object({
    partnerDomain: Domain,
    customerName: DisplayName,
    customerDomain: Domain,
    customerCountry: Country,
  })
  .strict();
export const ImportRelationshipsBody = z.object({ items: z.array(ImportRelationshipRow).min(1).max(5000) }).strict();
export const ImportRelationshipsResult = z.object({
  created: z.number().int(),
  existing: z.number().int(),
  customersCreated: z.number().int(),
});

export const PendingInvitationList = z.array(Invitation);
