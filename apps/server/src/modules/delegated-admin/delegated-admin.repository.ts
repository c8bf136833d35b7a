import { and, eq, inArray, isNotNull, lte } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { delegatedAdminGrants } from '../../db/schema.ts';
import type { GrantRow } from './delegated-admin.queries.ts';

export async function insertGrant(db: Executor, row: typeof delegatedAdminGrants.$inferInsert): Promise<GrantRow> {
  const [created] = await db.insert(delegatedAdminGrants).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function lockGrant(db: Executor, id: string): Promise<GrantRow | undefined> {
  const [row] = await db.select().from(delegatedAdminGrants).where(eq(delegatedAdminGrants.id, id)).for('update');
  return row;
}

export async function markRevoked(db: Executor, id: string, at: Date, byOrganizationId: string): Promise<void> {
  await db
    .update(delegatedAdminGrants)
    .set({ state: 'terminated', revokedAt: at, revokedByOrganizationId: byOrganizationId, updatedAt: at })
    .where(and(eq(delegatedAdminGrants.id, id), eq(delegatedAdminGrants.state, 'active')));
}

/** Moves lapsed grants to `expired` (auto-extending ones are extended by the sweep instead); returns them so each can be audited. */
export async function expireLapsed(db: Executor, now: Date, batch: number): Promise<GrantRow[]> {
  const due = await db
    .select({ id: delegatedAdminGrants.id })
    .from(delegatedAdminGrants)
    .where(and(eq(delegatedAdminGrants.state, 'active'), isNotNull(delegatedAdminGrants.endsAt), lte(delegatedAdminGrants.endsAt, now), eq(delegatedAdminGrants.autoExtendDuration, 'P0D')))
    .limit(batch)
    .for('update', { skipLocked: true });
  if (due.length === 0) return [];
  return db
    .update(delegatedAdminGrants)
    .set({ state: 'expired' })
    .where(inArray(delegatedAdminGrants.id, due.map((d) => d.id)))
    .returning();
}
