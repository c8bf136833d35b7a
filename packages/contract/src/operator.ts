import { z } from 'zod';
import { CountFlag, FilterText, Id, SortOrder, Timestamp } from './common.ts';
import { NewAdmin, NewOrganization, Organization, User } from './identity.ts';
import { Program } from './roles.ts';

export const OnboardPartnerBody = z
  .object({ organization: NewOrganization, program: Program, admin: NewAdmin })
  .strict();
export const OnboardedPartner = z.object({ organization: Organization, user: User });

export const PartnerProfile = z
  .object({
    id: Id,
    organizationId: Id,
    organizationName: z.string(),
    program: Program,
    state: z.enum(['email_unverified', 'in_review', 'approved', 'rejected']),
    membershipId: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'PartnerProfile' });

/** What the operator's partner list may be sorted by (`created`: when the profile was created); ties by profile id. */
export const operatorPartnerSorts = ['name', 'created'] as const;
export type OperatorPartnerSort = (typeof operatorPartnerSorts)[number];

const OperatorPartnerFilter = z.object({
  name: FilterText(200).min(1).optional(),
  program: Program.optional(),
  sort: z.enum(operatorPartnerSorts).default('name'),
  order: SortOrder.default('asc'),
});

export const OperatorPartnerQuery = OperatorPartnerFilter.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
}).strict();

export const OperatorPartnerExportQuery = OperatorPartnerFilter.strict();
