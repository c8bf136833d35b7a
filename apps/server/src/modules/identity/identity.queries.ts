import { and, eq, sql } from 'drizzle-orm';
import { preparedQuery, type Executor } from '../../db/database.ts';
import { organizations, partnerProfiles, users } from '../../db/schema.ts';
import type { Actor } from '../../platform/actor.ts';
import { toActor, userActorColumns } from './identity.repository.ts';
import type { User } from '@tierlink/contract';
import { presentUser } from './identity.presenter.ts';

// Public reads of users and organizations: other modules call these through index.ts.

export type UserRow = typeof users.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;
export type ProfileRow = typeof partnerProfiles.$inferSelect;

/** A user of this organization, or undefined (an id from elsewhere is not found). */
export async function findOrganizationUser(db: Executor, organizationId: string, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, userId), eq(users.organizationId, organizationId))).limit(1);
  return row;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await userByEmail(db).execute({ email: email.toLowerCase() });
  return row;
}

/** Sign-in's first read: named, on the users' unique email index. */
const userByEmail = preparedQuery('identity_user_by_email', (db) =>
  db.select().from(users).where(eq(users.email, sql.placeholder('email'))).limit(1),
);

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function findOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id)).limit(1);
  return row;
}

export async function findOrganizationByDomain(db: Executor, domain: string): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.domain, domain)).limit(1);
  return row;
}

export async function listProfiles(db: Executor, organizationId: string): Promise<ProfileRow[]> {
  return db.select().from(partnerProfiles).where(eq(partnerProfiles.organizationId, organizationId)).orderBy(partnerProfiles.program);
}

/** Active global admins of an organization (who receives notices meant for "the organization"). */
export async function listOrganizationAdmins(db: Executor, organizationId: string): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.status, 'active'), sql`'global_admin' = any(${users.roles})`))
    .orderBy(users.createdAt);
}

/** Active users who decide on delegated admin in the organization: its global admins and delegated admin approvers. */
export async function listDelegatedAdminApprovers(db: Executor, organizationId: string): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.status, 'active'), sql`${users.roles} && array['global_admin', 'delegated_admin_approver']::text[]`))
    .orderBy(users.createdAt);
}

/** The actor of an active user without a session: for the worker, demo data and tests. */
export async function loadUserActor(db: Executor, userId: string): Promise<Actor | null> {
  const [row] = await db
    .select(userActorColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.id, userId), eq(users.status, 'active')))
    .limit(1);
  return row === undefined ? null : toActor(row, 'user', null);
}

export async function findOperatorOrganization(db: Executor): Promise<OrganizationRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.kind, 'operator')).limit(1);
  return row;
}

export async function listOrganizationUsers(db: Executor, organizationId: string, limit: number): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.organizationId, organizationId)).orderBy(users.displayName, users.id).limit(limit);
}

/** The user as the API presents it; null when there is none. */
export async function presentUserById(db: Executor, id: string): Promise<User | null> {
  const user = await findUserById(db, id);
  return user === undefined ? null : presentUser(user);
}
