import { and, asc, eq, getTableColumns, inArray, isNotNull, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
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
/**
 * What presenting a grant, and deciding access by it, reads of its row: the columns `liveGrantsOf`
 * carries. A page of fifty customers aggregates these instead of the whole row (a third of the
 * columns: building and formatting the rest was a fifth of the page's PostgreSQL CPU).
 */
export type LiveGrant = Pick<
  GrantRow,
  'id' | 'organizationId' | 'partnerOrganizationId' | 'roles' | 'state' | 'startsAt' | 'endsAt' | 'approvalRequestedAt' | 'revokedAt' | 'createdAt'
>;
export interface GrantView<G extends LiveGrant = GrantRow> {
  grant: G;
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
    /** Three-party relationships naming this reseller. */
    resellerOrganizationId?: string;
    ids?: string[];
    liveAt?: Date;
  },
): Promise<GrantView[]> {
  const conditions = [
    // The seed's grants: relationships that were ever active (a request is no grant yet).
    isNotNull(delegatedAdminGrants.startsAt),
    filter.partnerOrganizationId === undefined ? undefined : eq(delegatedAdminGrants.partnerOrganizationId, filter.partnerOrganizationId),
    filter.organizationId === undefined ? undefined : eq(delegatedAdminGrants.organizationId, filter.organizationId),
    filter.partnerOrganizationIds === undefined ? undefined : inArray(delegatedAdminGrants.partnerOrganizationId, filter.partnerOrganizationIds),
    filter.organizationIds === undefined ? undefined : inArray(delegatedAdminGrants.organizationId, filter.organizationIds),
    filter.resellerOrganizationId === undefined ? undefined : eq(delegatedAdminGrants.resellerOrganizationId, filter.resellerOrganizationId),
    filter.ids === undefined ? undefined : inArray(delegatedAdminGrants.id, filter.ids),
    filter.liveAt === undefined ? undefined : liveCondition(filter.liveAt),
  ];
  return selectViews(db)
    .where(and(...conditions))
    .orderBy(asc(delegatedAdminGrants.createdAt), asc(delegatedAdminGrants.id));
}

/** The columns of a `LiveGrant`, in the order of `liveGrantsOf`'s JSON arrays. */
const liveGrantColumns = (
  ['id', 'organizationId', 'partnerOrganizationId', 'roles', 'state', 'startsAt', 'endsAt', 'approvalRequestedAt', 'revokedAt', 'createdAt'] as const satisfies readonly (keyof LiveGrant)[]
).map((key) => [key, getTableColumns(delegatedAdminGrants)[key]] as const);

/** A live grant from the JSON array `liveGrantsOf` builds it as: each column through its own decoder. */
function grantFromJson(values: unknown[]): LiveGrant {
  const row: Record<string, unknown> = {};
  liveGrantColumns.forEach(([key, column], index) => {
    const value = values[index] ?? null;
    row[key] = value === null ? null : column.mapFromDriverValue(value);
  });
  return row as LiveGrant;
}

/**
 * The grants `partnerId` holds in force at `at` in `organizationId`, oldest first, as one field of
 * another module's select (a correlated subquery on the grants' (partner, organization) index,
 * aggregated to one JSON text and decoded into grant rows): a page of rows carries its grants
 * without a second statement and without joining the organizations again. The arguments are SQL
 * of the outer statement (its columns, or a prepared statement's placeholder for `at`).
 */
export function liveGrantsOf(partnerId: SQLWrapper, organizationId: SQLWrapper, at: Date | Placeholder): SQL<LiveGrant[]> {
  const fields = sql.join(
    liveGrantColumns.map(([, column]) => sql`${column}`),
    sql`, `,
  );
  return sql`(select coalesce(json_agg(json_build_array(${fields}) order by ${delegatedAdminGrants.createdAt}, ${delegatedAdminGrants.id}), '[]')::text
      from ${delegatedAdminGrants}
     where ${delegatedAdminGrants.partnerOrganizationId} = ${partnerId} and ${delegatedAdminGrants.organizationId} = ${organizationId}
       and ${liveCondition(at)})`.mapWith((text: string) => (JSON.parse(text) as unknown[][]).map(grantFromJson));
}

/**
 * In force at `at`: active and not past its end. `at` may be a prepared statement's placeholder;
 * the state is a constant of the text, so that a prepared statement's generic plan sees it.
 */
export function liveCondition(at: Date | Placeholder) {
  return and(
    sql`${delegatedAdminGrants.state} = 'active'`,
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
