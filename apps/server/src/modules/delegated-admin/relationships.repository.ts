import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { delegatedAdminAmendments, delegatedAdminGrants } from '../../db/schema.ts';
import type { GrantRow } from './delegated-admin.queries.ts';
import type { AmendmentRow } from './relationships.queries.ts';

export type RelationshipInsert = typeof delegatedAdminGrants.$inferInsert;
export type RelationshipChange = Partial<Omit<RelationshipInsert, 'id' | 'organizationId' | 'partnerOrganizationId'>>;

export async function insertRelationship(db: Executor, row: RelationshipInsert): Promise<GrantRow> {
  const [created] = await db.insert(delegatedAdminGrants).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

/** The row locked for its transition: concurrent transitions of one relationship queue here, and exactly one finds the state it expects. */
export async function lockRelationship(db: Executor, id: string): Promise<GrantRow | undefined> {
  const [row] = await db.select().from(delegatedAdminGrants).where(eq(delegatedAdminGrants.id, id)).for('update');
  return row;
}

export async function updateRelationship(db: Executor, id: string, change: RelationshipChange): Promise<GrantRow> {
  const [row] = await db.update(delegatedAdminGrants).set(change).where(eq(delegatedAdminGrants.id, id)).returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

export async function deleteRelationship(db: Executor, id: string): Promise<void> {
  await db.delete(delegatedAdminAmendments).where(eq(delegatedAdminAmendments.relationshipId, id));
  await db.delete(delegatedAdminGrants).where(eq(delegatedAdminGrants.id, id));
}

/** Another relationship of the partner under this name (case-insensitive). */
export async function displayNameTaken(db: Executor, partnerId: string, name: string, exceptId: string | null): Promise<boolean> {
  const [row] = await db
    .select({ id: delegatedAdminGrants.id })
    .from(delegatedAdminGrants)
    .where(
      and(
        eq(delegatedAdminGrants.partnerOrganizationId, partnerId),
        sql`lower(${delegatedAdminGrants.displayName}) = lower(${name})`,
        exceptId === null ? undefined : sql`${delegatedAdminGrants.id} <> ${exceptId}`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

export async function insertAmendment(db: Executor, row: typeof delegatedAdminAmendments.$inferInsert): Promise<AmendmentRow> {
  const [created] = await db.insert(delegatedAdminAmendments).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

/** Marks the relationship's pending amendment (if any) superseded; returns it. */
export async function supersedePending(db: Executor, relationshipId: string, at: Date): Promise<AmendmentRow[]> {
  return db
    .update(delegatedAdminAmendments)
    .set({ state: 'superseded', decidedAt: at })
    .where(and(eq(delegatedAdminAmendments.relationshipId, relationshipId), eq(delegatedAdminAmendments.state, 'pending')))
    .returning();
}

export async function findAmendment(db: Executor, relationshipId: string, id: string): Promise<AmendmentRow | undefined> {
  const [row] = await db
    .select()
    .from(delegatedAdminAmendments)
    .where(and(eq(delegatedAdminAmendments.id, id), eq(delegatedAdminAmendments.relationshipId, relationshipId)));
  return row;
}

export async function decideAmendment(db: Executor, id: string, state: 'approved' | 'rejected', userId: string | null, at: Date): Promise<AmendmentRow> {
  const [row] = await db
    .update(delegatedAdminAmendments)
    .set({ state, decidedByUserId: userId, decidedAt: at })
    .where(eq(delegatedAdminAmendments.id, id))
    .returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

/** Sweep: rows due, locked and skipped when another sweeper holds them. */
async function lockDue(db: Executor, where: ReturnType<typeof and>, batch: number): Promise<GrantRow[]> {
  const due = await db.select({ id: delegatedAdminGrants.id }).from(delegatedAdminGrants).where(where).limit(batch).for('update', { skipLocked: true });
  if (due.length === 0) return [];
  return db.select().from(delegatedAdminGrants).where(inArray(delegatedAdminGrants.id, due.map((d) => d.id)));
}

/** Active relationships that reached their end and extend themselves. */
export function dueToExtend(db: Executor, now: Date, batch: number): Promise<GrantRow[]> {
  const g = delegatedAdminGrants;
  return lockDue(db, and(eq(g.state, 'active'), isNotNull(g.endsAt), lte(g.endsAt, now), eq(g.autoExtendDuration, 'P180D')), batch);
}

/** Requests waiting for approval since before `before`. */
export function dueToLapse(db: Executor, before: Date, batch: number): Promise<GrantRow[]> {
  const g = delegatedAdminGrants;
  return lockDue(db, and(eq(g.state, 'approval_pending'), lte(g.approvalRequestedAt, before)), batch);
}

/** Active relationships ending within `days` (auto-extending ones do not end) whose reminder for that threshold has not gone out. */
export function dueForReminder(db: Executor, now: Date, until: Date, days: number, batch: number): Promise<GrantRow[]> {
  const g = delegatedAdminGrants;
  return lockDue(
    db,
    and(eq(g.state, 'active'), eq(g.autoExtendDuration, 'P0D'), isNotNull(g.endsAt), sql`${g.endsAt} > ${now}`, lte(g.endsAt, until), sql`(${g.remindedDays} is null or ${g.remindedDays} > ${days})`),
    batch,
  );
}
