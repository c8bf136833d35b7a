import { and, asc, eq, inArray, sql, type Placeholder } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedSelect, type Executor } from '../../db/database.ts';
import { delegatedAdminGrants, organizations } from '../../db/schema.ts';
import type { DelegatedAdminGrant } from '@tierlink/contract';
import { presentGrant } from './delegated-admin.presenter.ts';

// Public reads of delegated admin grants: other modules call these through index.ts.

export type GrantRow = typeof delegatedAdminGrants.$inferSelect;
export interface OrganizationRef {
  id: string;
  name: string;
  domain: string;
  country: string;
}
export interface GrantView {
  grant: GrantRow;
  partner: OrganizationRef;
  organization: OrganizationRef;
}

const partnerOrg = alias(organizations, 'partner_org');
const grantingOrg = alias(organizations, 'granting_org');

const viewSelection = {
  grant: delegatedAdminGrants,
  partner: { id: partnerOrg.id, name: partnerOrg.name, domain: partnerOrg.domain, country: partnerOrg.country },
  organization: { id: grantingOrg.id, name: grantingOrg.name, domain: grantingOrg.domain, country: grantingOrg.country },
};

function selectViews(db: Executor) {
  return db
    .select(viewSelection)
    .from(delegatedAdminGrants)
    .innerJoin(partnerOrg, eq(partnerOrg.id, delegatedAdminGrants.partnerOrganizationId))
    .innerJoin(grantingOrg, eq(grantingOrg.id, delegatedAdminGrants.organizationId));
}

/** Grants matching every given filter, oldest first; `liveAt` keeps only the ones in force then. */
export async function listGrantViews(
  db: Executor,
  filter: {
    partnerOrganizationId?: string;
    organizationId?: string;
    partnerOrganizationIds?: string[];
    organizationIds?: string[];
    ids?: string[];
    liveAt?: Date;
  },
): Promise<GrantView[]> {
  const conditions = [
    filter.partnerOrganizationId === undefined ? undefined : eq(delegatedAdminGrants.partnerOrganizationId, filter.partnerOrganizationId),
    filter.organizationId === undefined ? undefined : eq(delegatedAdminGrants.organizationId, filter.organizationId),
    filter.partnerOrganizationIds === undefined ? undefined : inArray(delegatedAdminGrants.partnerOrganizationId, filter.partnerOrganizationIds),
    filter.organizationIds === undefined ? undefined : inArray(delegatedAdminGrants.organizationId, filter.organizationIds),
    filter.ids === undefined ? undefined : inArray(delegatedAdminGrants.id, filter.ids),
    filter.liveAt === undefined ? undefined : liveCondition(filter.liveAt),
  ];
  return selectViews(db)
    .where(and(...conditions))
    .orderBy(asc(delegatedAdminGrants.createdAt), asc(delegatedAdminGrants.id));
}

/**
 * The partner's grants in force at `liveAt` in any of `organizationIds` (a page of customers): as
 * `listGrantViews` with those filters, prepared once per executor with the ids as one array.
 */
export async function listLiveGrantsOfPartner(db: Executor, partnerOrganizationId: string, organizationIds: string[], liveAt: Date): Promise<GrantView[]> {
  return liveGrantsOfPartner(db).execute({ partnerOrganizationId, organizationIds, liveAt });
}

const liveGrantsOfPartner = preparedSelect<GrantView, { partnerOrganizationId: string; organizationIds: string[]; liveAt: Date }>('live_grants_of_partner', viewSelection, (db) =>
  selectViews(db)
    .where(
      and(
        eq(delegatedAdminGrants.partnerOrganizationId, sql.placeholder('partnerOrganizationId')),
        sql`${delegatedAdminGrants.organizationId} = any(${sql.placeholder('organizationIds')}::uuid[])`,
        liveCondition(sql.placeholder('liveAt')),
      ),
    )
    .orderBy(asc(delegatedAdminGrants.createdAt), asc(delegatedAdminGrants.id)),
);

/** In force at `at`: active and not past its end. `at` may be a prepared statement's placeholder. */
export function liveCondition(at: Date | Placeholder) {
  return and(
    eq(delegatedAdminGrants.state, 'active'),
    sql`(${delegatedAdminGrants.endsAt} is null or ${delegatedAdminGrants.endsAt} > ${at})`,
  );
}


/** The grant as the API presents it at `now`; null when there is none. */
export async function presentGrantById(db: Executor, id: string, now: Date): Promise<DelegatedAdminGrant | null> {
  const [view] = await listGrantViews(db, { ids: [id] });
  return view === undefined ? null : presentGrant(view, now);
}

/** The partner's grants in force at `now` that end by `until` (read on the partner's ends_at index). */
export async function countGrantsEndingBy(db: Executor, partnerOrganizationId: string, now: Date, until: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(delegatedAdminGrants)
    .where(
      and(
        eq(delegatedAdminGrants.partnerOrganizationId, partnerOrganizationId),
        eq(delegatedAdminGrants.state, 'active'),
        sql`${delegatedAdminGrants.endsAt} is not null and ${delegatedAdminGrants.endsAt} > ${now} and ${delegatedAdminGrants.endsAt} <= ${until}`,
      ),
    );
  return Number(row?.count ?? 0);
}
