import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { partnerships } from '../../db/schema.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';
import type { Partnership } from '@tierlink/contract';
import { presentPartnership } from './partnerships.presenter.ts';
import { findPartnershipView } from './partnerships.repository.ts';

// Public reads of partnerships: other modules call these through index.ts.

export type PartnershipRow = typeof partnerships.$inferSelect;
export interface PartnershipView {
  partnership: PartnershipRow;
  provider: OrganizationRef;
  reseller: OrganizationRef;
}

/** The active partnership of a pair; with `lock`, locked for the rest of the transaction. */
export async function findActivePartnership(
  db: Executor,
  providerId: string,
  resellerId: string,
  options: { lock?: boolean } = {},
): Promise<PartnershipRow | undefined> {
  const query = db
    .select()
    .from(partnerships)
    .where(
      and(
        eq(partnerships.providerOrganizationId, providerId),
        eq(partnerships.resellerOrganizationId, resellerId),
        eq(partnerships.state, 'active'),
      ),
    )
    .limit(1);
  const [row] = options.lock === true ? await query.for('update') : await query;
  return row;
}

/** The partnership as the API presents it; null when there is none. */
export async function presentPartnershipById(db: Executor, id: string): Promise<Partnership | null> {
  const view = await findPartnershipView(db, id);
  return view === undefined ? null : presentPartnership(view);
}

/** The organization's active partners on the other side (`side` is the organization's), as ids. */
export async function activePartnerIds(db: Executor, side: 'provider' | 'reseller', organizationId: string): Promise<string[]> {
  const [mine, other] =
    side === 'provider'
      ? [partnerships.providerOrganizationId, partnerships.resellerOrganizationId]
      : [partnerships.resellerOrganizationId, partnerships.providerOrganizationId];
  const rows = await db
    .select({ id: other })
    .from(partnerships)
    .where(and(eq(mine, organizationId), eq(partnerships.state, 'active')));
  return rows.map((r) => r.id);
}
