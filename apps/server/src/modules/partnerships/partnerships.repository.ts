import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { organizations, partnerships } from '../../db/schema.ts';
import { afterKey, likePrefix } from '../../platform/cursor.ts';

import type { PartnershipRow, PartnershipView } from './partnerships.queries.ts';

export type { PartnershipRow, PartnershipView };

const providerOrg = alias(organizations, 'provider_org');
const resellerOrg = alias(organizations, 'reseller_org');

export async function insertPartnership(db: Executor, row: typeof partnerships.$inferInsert): Promise<PartnershipRow> {
  const [created] = await db.insert(partnerships).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function markEnded(db: Executor, id: string, at: Date, byOrganizationId: string): Promise<PartnershipRow> {
  const [row] = await db
    .update(partnerships)
    .set({ state: 'ended', endedAt: at, endedByOrganizationId: byOrganizationId })
    .where(eq(partnerships.id, id))
    .returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

/**
 * Active partnerships of one side, ordered by the other side's name. Scoped in SQL: the caller's
 * organization is always one end of every row returned.
 */
export async function listActivePartnerships(
  db: Executor,
  side: 'provider' | 'reseller',
  organizationId: string,
  query: { limit: number; after: [string, string] | null; name?: string },
): Promise<PartnershipView[]> {
  const own = side === 'provider' ? partnerships.providerOrganizationId : partnerships.resellerOrganizationId;
  const other = side === 'provider' ? resellerOrg : providerOrg;
  const lowerName = sql<string>`lower(${other.name})`;
  const rows = await db
    .select({ partnership: partnerships, provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country }, reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country } })
    .from(partnerships)
    .innerJoin(providerOrg, eq(providerOrg.id, partnerships.providerOrganizationId))
    .innerJoin(resellerOrg, eq(resellerOrg.id, partnerships.resellerOrganizationId))
    .where(
      and(
        eq(own, organizationId),
        eq(partnerships.state, 'active'),
        query.name === undefined ? undefined : ilike(other.name, likePrefix(query.name)),
        afterKey(lowerName, other.id, query.after),
      ),
    )
    .orderBy(asc(lowerName), asc(other.id))
    .limit(query.limit + 1);
  return rows;
}

export async function findPartnershipView(db: Executor, id: string): Promise<PartnershipView | undefined> {
  const [row] = await db
    .select({ partnership: partnerships, provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country }, reseller: { id: resellerOrg.id, name: resellerOrg.name, domain: resellerOrg.domain, country: resellerOrg.country } })
    .from(partnerships)
    .innerJoin(providerOrg, eq(providerOrg.id, partnerships.providerOrganizationId))
    .innerJoin(resellerOrg, eq(resellerOrg.id, partnerships.resellerOrganizationId))
    .where(eq(partnerships.id, id))
    .limit(1);
  return row;
}
