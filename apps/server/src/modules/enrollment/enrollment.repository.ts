import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { membershipAccounts, memberships, membershipSignIns, organizations, partnerProfiles } from '../../db/schema.ts';
import { afterTime } from '../../platform/cursor.ts';

export type AccountRow = typeof membershipAccounts.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type ProfileRow = typeof partnerProfiles.$inferSelect;
export interface EnrollmentView {
  profile: ProfileRow;
  organizationName: string;
}

export async function findAccountByEmail(db: Executor, email: string): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(membershipAccounts).where(eq(membershipAccounts.email, email)).limit(1);
  return row;
}

export async function insertAccount(db: Executor, row: typeof membershipAccounts.$inferInsert): Promise<AccountRow> {
  const [created] = await db.insert(membershipAccounts).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function findMembership(db: Executor, membershipId: string): Promise<MembershipRow | undefined> {
  const [row] = await db.select().from(memberships).where(eq(memberships.membershipId, membershipId)).limit(1);
  return row;
}

/** Locked, so that two organizations enrolling with one membership at once are serialized. */
export async function lockMembership(db: Executor, membershipId: string): Promise<MembershipRow | undefined> {
  const [row] = await db.select().from(memberships).where(eq(memberships.membershipId, membershipId)).for('update');
  return row;
}

/** Another organization's enrollment (not rejected) that links this membership. */
export async function findMembershipHolder(db: Executor, membershipId: string, exceptOrganizationId: string): Promise<ProfileRow | undefined> {
  const [row] = await db
    .select()
    .from(partnerProfiles)
    .where(and(eq(partnerProfiles.membershipId, membershipId), ne(partnerProfiles.organizationId, exceptOrganizationId), ne(partnerProfiles.state, 'rejected')))
    .limit(1);
  return row;
}

export async function insertMembership(db: Executor, row: typeof memberships.$inferInsert): Promise<MembershipRow> {
  const [created] = await db.insert(memberships).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function listAccountMemberships(db: Executor, accountId: string): Promise<MembershipRow[]> {
  return db.select().from(memberships).where(eq(memberships.accountId, accountId)).orderBy(memberships.membershipId);
}

export async function insertSignIn(db: Executor, row: typeof membershipSignIns.$inferInsert): Promise<void> {
  await db.insert(membershipSignIns).values(row);
}

export async function findSignIn(db: Executor, tokenHash: string) {
  const [row] = await db.select().from(membershipSignIns).where(eq(membershipSignIns.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function lockProfile(db: Executor, id: string): Promise<ProfileRow | undefined> {
  const [row] = await db.select().from(partnerProfiles).where(eq(partnerProfiles.id, id)).for('update');
  return row;
}

export async function lockOrganizationProfiles(db: Executor, organizationId: string): Promise<ProfileRow[]> {
  return db.select().from(partnerProfiles).where(eq(partnerProfiles.organizationId, organizationId)).for('update');
}

export async function insertProfileRow(db: Executor, row: typeof partnerProfiles.$inferInsert): Promise<ProfileRow> {
  const [created] = await db.insert(partnerProfiles).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function updateProfileRow(db: Executor, id: string, changes: Partial<typeof partnerProfiles.$inferInsert>): Promise<ProfileRow> {
  const [row] = await db.update(partnerProfiles).set(changes).where(eq(partnerProfiles.id, id)).returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

export async function listEnrollmentViews(
  db: Executor,
  filter: { organizationId?: string; state?: ProfileRow['state']; limit: number; after: [string, string] | null },
): Promise<EnrollmentView[]> {
  return db
    .select({ profile: partnerProfiles, organizationName: organizations.name })
    .from(partnerProfiles)
    .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
    .where(
      and(
        filter.organizationId === undefined ? undefined : eq(partnerProfiles.organizationId, filter.organizationId),
        filter.state === undefined ? undefined : eq(partnerProfiles.state, filter.state),
        afterTime(partnerProfiles.createdAt, partnerProfiles.id, filter.after),
      ),
    )
    .orderBy(partnerProfiles.createdAt, partnerProfiles.id)
    .limit(filter.limit + 1);
}

export async function findEnrollmentView(db: Executor, id: string): Promise<EnrollmentView | undefined> {
  const [row] = await db
    .select({ profile: partnerProfiles, organizationName: organizations.name })
    .from(partnerProfiles)
    .innerJoin(organizations, eq(organizations.id, partnerProfiles.organizationId))
    .where(eq(partnerProfiles.id, id))
    .limit(1);
  return row;
}

