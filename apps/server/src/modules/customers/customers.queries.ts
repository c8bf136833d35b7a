import { and, asc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedQuery, preparedSelect, type Executor } from '../../db/database.ts';
import { countUpTo } from '../../platform/cursor.ts';
import { organizations, resellerRelationships } from '../../db/schema.ts';
import { listGrantViews, liveGrantsOf, type GrantView, type LiveGrant, type OrganizationRef } from '../delegated-admin/index.ts';
import { countCap, type ListCount, type ResellerRelationship } from '@tierlink/contract';
import { presentRelationship } from './customers.presenter.ts';
import { activeRelationshipsOfCustomer, findRelationshipViews, listPartnersOfCustomer } from './customers.repository.ts';

// Public reads of reseller relationships: other modules call these through index.ts.

export type RelationshipRow = typeof resellerRelationships.$inferSelect;
export interface RelationshipView {
  relationship: RelationshipRow;
  partner: OrganizationRef;
  customer: OrganizationRef;
}

/**
 * Whether `partnerId` has an active relationship with `customerId`, as one field of another
 * module's statement (an `exists` on the active pair's unique index, the state a constant of the
 * text): a hot write checks the relationship in the statement that does its work, one round trip
 * fewer. The arguments are SQL of the outer statement (its columns or placeholders, cast to uuid).
 */
export function activeRelationshipExists(partnerId: SQLWrapper, customerId: SQLWrapper): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${resellerRelationships} rr
      where rr.partner_organization_id = ${partnerId} and rr.customer_organization_id = ${customerId} and rr.state = 'active')`;
}

export async function hasActiveRelationship(db: Executor, partnerId: string, customerId: string): Promise<boolean> {
  const [row] = await activeRelationship(db).execute({ partnerId, customerId });
  return row !== undefined;
}

/** Named, the state a constant of the text: the generic plan reads the active pair's unique index. */
const activeRelationship = preparedQuery('customers_has_active_relationship', (db) =>
  db
    .select({ id: resellerRelationships.id })
    .from(resellerRelationships)
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, sql.placeholder('partnerId')),
        eq(resellerRelationships.customerOrganizationId, sql.placeholder('customerId')),
        sql`${resellerRelationships.state} = 'active'`,
      ),
    )
    .limit(1),
);

export interface DelegatedAccessFacts {
  /** The partner has an active relationship with the customer. */
  related: boolean;
  /** The partner's grants in force in the customer. */
  grants: LiveGrant[];
}

/**
 * What decides a partner's delegated admin access to a customer, read in one named statement
 * (the access check of every delegated admin request): the active pair's unique index and the
 * grants' (partner, organization) index. An unknown customer has neither.
 */
export async function delegatedAccessFacts(db: Executor, partnerId: string, customerId: string, now: Date): Promise<DelegatedAccessFacts> {
  const [row] = await accessFacts(db).execute({ partnerId, customerId, now });
  return row ?? { related: false, grants: [] };
}

const partnerParam = sql`${sql.placeholder('partnerId')}::uuid`;
const customerParam = sql`${sql.placeholder('customerId')}::uuid`;
const accessSelection = {
  related: sql<boolean>`exists (select 1 from ${resellerRelationships}
     where ${resellerRelationships.partnerOrganizationId} = ${partnerParam} and ${resellerRelationships.customerOrganizationId} = ${customerParam}
       and ${resellerRelationships.state} = 'active')`,
  grants: liveGrantsOf(partnerParam, customerParam, sql.placeholder('now')),
};
const accessFacts = preparedSelect<DelegatedAccessFacts, { partnerId: string; customerId: string; now: Date }>('customers_delegated_access', accessSelection, (db) =>
  db.select(accessSelection).from(organizations).where(eq(organizations.id, sql.placeholder('customerId'))),
);

/** Whether partners serve this organization as their customer (then it cannot become a partner itself). */
export async function isServedCustomer(db: Executor, organizationId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: resellerRelationships.id })
    .from(resellerRelationships)
    .where(and(eq(resellerRelationships.customerOrganizationId, organizationId), eq(resellerRelationships.state, 'active')))
    .limit(1);
  return row !== undefined;
}

/** The reseller relationship as the API presents it; null when there is none. */
export async function presentRelationshipById(db: Executor, id: string): Promise<ResellerRelationship | null> {
  const [view] = await findRelationshipViews(db, [id]);
  return view === undefined ? null : presentRelationship(view);
}

/** How many customers have an active relationship with the partner, as its customer list counts them (up to `countCap`, index-only). */
export async function countActiveCustomers(db: Executor, partnerId: string): Promise<ListCount> {
  return countUpTo(
    db,
    db
      .select({ one: sql`1` })
      .from(resellerRelationships)
      .where(and(eq(resellerRelationships.partnerOrganizationId, partnerId), eq(resellerRelationships.state, 'active')))
      .limit(countCap + 1),
  );
}

export interface PartnerAccess {
  organization: OrganizationRef;
  /** The partner is a reseller of record of the customer. */
  relationship: boolean;
  /** Grants in force at `now`. */
  grants: GrantView[];
}

/**
 * The first `limit` partners of a customer by name (those with an active relationship or a grant
 * in force, as the customer's partner list has them) with their relationship and live grants;
 * `more` when there are others.
 */
export async function partnerAccessOfCustomer(db: Executor, customerId: string, now: Date, limit: number): Promise<{ items: PartnerAccess[]; more: boolean }> {
  const rows = await listPartnersOfCustomer(db, customerId, now, { limit, after: null });
  const page = rows.slice(0, limit);
  const ids = page.map((o) => o.id);
  const relationships = await activeRelationshipsOfCustomer(db, customerId, ids);
  const grants = ids.length === 0 ? [] : await listGrantViews(db, { organizationId: customerId, partnerOrganizationIds: ids, liveAt: now });
  return {
    items: page.map((organization) => ({
      organization,
      relationship: relationships.some((r) => r.partner.id === organization.id),
      grants: grants.filter((g) => g.partner.id === organization.id),
    })),
    more: rows.length > limit,
  };
}

// Offboarding's reads (the offboarding module composes them into a plan).

const otherSide = alias(resellerRelationships, 'other_side');

export interface SharedCustomer {
  customer: OrganizationRef;
  ownRelationshipId: string;
  otherRelationshipId: string;
}

/** Customers both partners are of record for (an active relationship each), by name. */
export async function sharedCustomersOf(db: Executor, partnerId: string, otherPartnerId: string): Promise<SharedCustomer[]> {
  return db
    .select({
      customer: { id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country },
      ownRelationshipId: resellerRelationships.id,
      otherRelationshipId: otherSide.id,
    })
    .from(resellerRelationships)
    .innerJoin(
      otherSide,
      and(
        eq(otherSide.customerOrganizationId, resellerRelationships.customerOrganizationId),
        eq(otherSide.partnerOrganizationId, otherPartnerId),
        sql`${otherSide.state} = 'active'`,
      ),
    )
    .innerJoin(organizations, eq(organizations.id, resellerRelationships.customerOrganizationId))
    .where(and(eq(resellerRelationships.partnerOrganizationId, partnerId), sql`${resellerRelationships.state} = 'active'`))
    .orderBy(asc(resellerRelationships.customerSortName), asc(resellerRelationships.customerOrganizationId));
}

/** The partner's active relationship with the customer and the customer's name; undefined without one. */
export async function activeRelationshipWith(
  db: Executor,
  partnerId: string,
  customerId: string,
): Promise<{ relationshipId: string; customer: OrganizationRef } | undefined> {
  const [row] = await db
    .select({
      relationshipId: resellerRelationships.id,
      customer: { id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country },
    })
    .from(resellerRelationships)
    .innerJoin(organizations, eq(organizations.id, resellerRelationships.customerOrganizationId))
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, partnerId),
        eq(resellerRelationships.customerOrganizationId, customerId),
        sql`${resellerRelationships.state} = 'active'`,
      ),
    )
    .limit(1);
  return row;
}
