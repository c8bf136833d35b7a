import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { resellerRelationships } from '../../db/schema.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';
import type { ResellerRelationship } from '@tierlink/contract';
import { presentRelationship } from './customers.presenter.ts';
import { findRelationshipViews } from './customers.repository.ts';

// Public reads of reseller relationships: other modules call these through index.ts.

export type RelationshipRow = typeof resellerRelationships.$inferSelect;
export interface RelationshipView {
  relationship: RelationshipRow;
  partner: OrganizationRef;
  customer: OrganizationRef;
}

export async function hasActiveRelationship(db: Executor, partnerId: string, customerId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: resellerRelationships.id })
    .from(resellerRelationships)
    .where(
      and(
        eq(resellerRelationships.partnerOrganizationId, partnerId),
        eq(resellerRelationships.customerOrganizationId, customerId),
        eq(resellerRelationships.state, 'active'),
      ),
    )
    .limit(1);
  return row !== undefined;
}

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
