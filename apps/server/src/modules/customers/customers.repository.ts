import { and, asc, eq, ilike, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { preparedSelect, type Executor } from '../../db/database.ts';
import { delegatedAdminGrants, organizations, resellerRelationships } from '../../db/schema.ts';
import { afterKey, cursorId, likePrefix } from '../../platform/cursor.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';

import type { RelationshipRow, RelationshipView } from './customers.queries.ts';

export type { RelationshipRow, RelationshipView };

const partnerOrg = alias(organizations, 'partner_org');
const customerOrg = alias(organizations, 'customer_org');

const viewSelection = {
  relationship: resellerRelationships,
  partner: { id: partnerOrg.id, name: partnerOrg.name, domain: partnerOrg.domain, country: partnerOrg.country },
  customer: { id: customerOrg.id, name: customerOrg.name, domain: customerOrg.domain, country: customerOrg.country },
};

function selectViews(db: Executor) {
  return db
    .select(viewSelection)
    .from(resellerRelationships)
    .innerJoin(partnerOrg, eq(partnerOrg.id, resellerRelationships.partnerOrganizationId))
    .innerJoin(customerOrg, eq(customerOrg.id, resellerRelationships.customerOrganizationId));
}

/** The customer's sort name is copied from its organization in the same statement. */
export async function insertRelationship(
  db: Executor,
  row: Omit<typeof resellerRelationships.$inferInsert, 'customerSortName'>,
): Promise<RelationshipRow> {
  const customerSortName = sql<string>`(select lower(${organizations.name}) from ${organizations} where ${organizations.id} = ${row.customerOrganizationId})`;
  const [created] = await db
    .insert(resellerRelationships)
    .values({ ...row, customerSortName })
    .returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function lockActiveRelationship(db: Executor, partnerId: string, customerId: string): Promise<RelationshipRow | undefined> {
  const [row] = await db
    .select()
    .from(resellerRelationships)
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, partnerId),
        eq(resellerRelationships.customerOrganizationId, customerId),
        eq(resellerRelationships.state, 'active'),
      ),
    )
    .for('update');
  return row;
}

export async function markRemoved(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(resellerRelationships).set({ state: 'removed', removedAt: at }).where(eq(resellerRelationships.id, id));
}

export async function findRelationshipViews(db: Executor, ids: string[]): Promise<RelationshipView[]> {
  if (ids.length === 0) return [];
  return selectViews(db).where(inArray(resellerRelationships.id, ids)).orderBy(asc(resellerRelationships.createdAt));
}

/**
 * The partner's customers: active relationships only, ordered by customer name. `sharedWith`
 * keeps the customers that partner also has an active relationship with. Sorted and paged on the
 * relationship's own copy of the name, so a page is a range of the partner's keyset index
 * (partner, sort name, customer) whether the partner has ten customers or fifty thousand.
 */
export async function listCustomerViews(
  db: Executor,
  partnerId: string,
  query: { limit: number; after: [string, string] | null; name?: string; sharedWith?: string; customerId?: string },
): Promise<RelationshipView[]> {
  return selectViews(db)
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, partnerId),
        eq(resellerRelationships.state, 'active'),
        query.customerId === undefined ? undefined : eq(resellerRelationships.customerOrganizationId, query.customerId),
        query.name === undefined ? undefined : ilike(customerOrg.name, likePrefix(query.name)),
        query.sharedWith === undefined
          ? undefined
          : sql`exists (select 1 from ${resellerRelationships} as other_rr where other_rr.partner_organization_id = ${query.sharedWith}
              and other_rr.customer_organization_id = ${resellerRelationships.customerOrganizationId} and other_rr.state = 'active')`,
        afterKey(resellerRelationships.customerSortName, resellerRelationships.customerOrganizationId, query.after),
      ),
    )
    .orderBy(asc(resellerRelationships.customerSortName), asc(resellerRelationships.customerOrganizationId))
    .limit(query.limit + 1);
}

/**
 * A page of the partner's customers with no filter: the API's most frequent statement, so it is
 * prepared once per executor (reads run on the database itself, so in practice once per process
 * and connection) instead of being built for every request. Same rows as `listCustomerViews`.
 */
export async function listCustomerPage(db: Executor, partnerId: string, query: { limit: number; after: [string, string] | null }): Promise<RelationshipView[]> {
  const limit = query.limit + 1;
  return query.after === null
    ? firstPage(db).execute({ partnerId, limit })
    : pageAfter(db).execute({ partnerId, limit, afterKey: query.after[0], afterId: cursorId(query.after[1]) });
}

const activeOf = and(eq(resellerRelationships.partnerOrganizationId, sql.placeholder('partnerId')), eq(resellerRelationships.state, 'active'));
const pageOrder = [asc(resellerRelationships.customerSortName), asc(resellerRelationships.customerOrganizationId)] as const;
const firstPage = preparedSelect<RelationshipView, { partnerId: string; limit: number }>('customers_page_first', viewSelection, (db) =>
  selectViews(db).where(activeOf).orderBy(...pageOrder).limit(sql.placeholder('limit')),
);
const pageAfter = preparedSelect<RelationshipView, { partnerId: string; limit: number; afterKey: string; afterId: string }>('customers_page_after', viewSelection, (db) =>
  selectViews(db)
    .where(
      and(
        activeOf,
        sql`(${resellerRelationships.customerSortName}, ${resellerRelationships.customerOrganizationId}) > (${sql.placeholder('afterKey')}, ${sql.placeholder('afterId')}::uuid)`,
      ),
    )
    .orderBy(...pageOrder)
    .limit(sql.placeholder('limit')),
);

/** Partners that hold an active relationship or a live grant in the customer's organization. */
export async function listPartnersOfCustomer(
  db: Executor,
  customerId: string,
  now: Date,
  query: { limit: number; after: [string, string] | null; name?: string },
): Promise<OrganizationRef[]> {
  const lowerName = sql<string>`lower(${organizations.name})`;
  return db
    .select({ id: organizations.id, name: organizations.name, domain: organizations.domain, country: organizations.country })
    .from(organizations)
    .where(
      and(
        sql`${organizations.id} in (
          select ${resellerRelationships.partnerOrganizationId} from ${resellerRelationships}
           where ${resellerRelationships.customerOrganizationId} = ${customerId} and ${resellerRelationships.state} = 'active'
          union
          select ${delegatedAdminGrants.partnerOrganizationId} from ${delegatedAdminGrants}
           where ${delegatedAdminGrants.organizationId} = ${customerId} and ${delegatedAdminGrants.state} = 'active'
             and (${delegatedAdminGrants.endsAt} is null or ${delegatedAdminGrants.endsAt} > ${now}))`,
        query.name === undefined ? undefined : ilike(organizations.name, likePrefix(query.name)),
        afterKey(lowerName, organizations.id, query.after),
      ),
    )
    .orderBy(asc(lowerName), asc(organizations.id))
    .limit(query.limit + 1);
}

export async function activeRelationshipsOfCustomer(db: Executor, customerId: string, partnerIds: string[]): Promise<RelationshipView[]> {
  if (partnerIds.length === 0) return [];
  return selectViews(db).where(
    and(
      eq(resellerRelationships.customerOrganizationId, customerId),
      inArray(resellerRelationships.partnerOrganizationId, partnerIds),
      eq(resellerRelationships.state, 'active'),
    ),
  );
}

