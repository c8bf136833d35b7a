import { and, eq, gt, ilike, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { countCap, type ListCount, type OrganizationKind, type Program, type Role } from '@tierlink/contract';
import { preparedQuery, type Executor } from '../../db/database.ts';
import { apiKeys, mfaRecoveryCodes, organizations, partnerProfiles, sessions, users } from '../../db/schema.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';
import type { Actor } from '../../platform/actor.ts';

import type { OrganizationRow, UserRow } from './identity.queries.ts';

export type { OrganizationRow, UserRow };
export type ApiKeyRow = typeof apiKeys.$inferSelect;

const approvedPrograms = sql<Program[]>`coalesce((
  select array_agg(pp.program order by pp.program) from ${partnerProfiles} pp
  where pp.organization_id = ${organizations.id} and pp.state = 'approved'), '{}')`;

export async function insertOrganization(db: Executor, row: typeof organizations.$inferInsert): Promise<OrganizationRow> {
  const [created] = await db.insert(organizations).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await db.insert(users).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function insertSession(db: Executor, row: Omit<typeof sessions.$inferSelect, 'revokedAt'>): Promise<void> {
  await sessionInsert(db).execute(row);
}

/** Sign-in's write, named: a new session is never revoked. */
const sessionInsert = preparedQuery('identity_session_insert', (db) =>
  db.insert(sessions).values({
    id: sql.placeholder('id'),
    userId: sql.placeholder('userId'),
    organizationId: sql.placeholder('organizationId'),
    createdAt: sql.placeholder('createdAt'),
    lastSeenAt: sql.placeholder('lastSeenAt'),
    expiresAt: sql.placeholder('expiresAt'),
  }),
);

export async function revokeSession(db: Executor, id: string, at: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

export async function revokeOtherSessions(db: Executor, userId: string, keepId: string | null, at: Date): Promise<void> {
  const others = keepId === null ? sql`true` : sql`${sessions.id} <> ${keepId}`;
  await db.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), others));
}

export async function updatePassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash, mustChangePassword: false, temporaryPasswordExpiresAt: null }).where(eq(users.id, userId));
}

interface ActorRow {
  userId: string | null;
  apiKeyId: string | null;
  displayName: string;
  email: string | null;
  organizationId: string;
  organizationKind: OrganizationKind;
  roles: string[];
  approvedPrograms: Program[];
  mustChangePassword: boolean;
  mfaEnrolled: boolean;
}

/** What an actor is made of, read for a user (by session or directly). */
export const userActorColumns = {
  userId: users.id,
  apiKeyId: sql<string | null>`null`,
  displayName: users.displayName,
  email: users.email,
  organizationId: organizations.id,
  organizationKind: organizations.kind,
  roles: users.roles,
  approvedPrograms,
  mustChangePassword: users.mustChangePassword,
  mfaEnrolled: sql<boolean>`${users.mfaEnrolledAt} is not null`,
};

export function toActor(row: ActorRow, type: Actor['type'], sessionId: string | null): Actor {
  return {
    type,
    userId: row.userId,
    apiKeyId: row.apiKeyId,
    sessionId,
    displayName: row.displayName,
    email: row.email,
    organizationId: row.organizationId,
    organizationKind: row.organizationKind,
    roles: row.roles as Role[],
    approvedPrograms: row.approvedPrograms,
    mustChangePassword: row.mustChangePassword,
    mfaEnrolled: row.mfaEnrolled,
  };
}

/** The session's actor if the session, its user and its organization are all live right now. */
export async function loadSessionActor(
  db: Executor,
  sessionId: string,
  now: Date,
  idleSince: Date,
): Promise<{ actor: Actor; lastSeenAt: Date } | null> {
  const [row] = await sessionActor(db).execute({ sessionId, now, idleSince });
  return row === undefined ? null : { actor: toActor(row, 'user', sessionId), lastSeenAt: row.lastSeenAt };
}

// The access hook's statements run on every authenticated request: named, with a generic plan
// (each is a primary-key or unique-index lookup whatever the values).
const sessionActor = preparedQuery('identity_session_actor', (db) =>
  db
    .select({ ...userActorColumns, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(
        eq(sessions.id, sql.placeholder('sessionId')),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql.placeholder('now')),
        gt(sessions.lastSeenAt, sql.placeholder('idleSince')),
        sql`${users.status} = 'active'`,
      ),
    )
    .limit(1),
);

export async function touchSession(db: Executor, sessionId: string, now: Date): Promise<void> {
  await sessionTouch(db).execute({ sessionId, now });
}

const sessionTouch = preparedQuery('identity_session_touch', (db) =>
  db
    .update(sessions)
    .set({ lastSeenAt: sql`${sql.placeholder('now')}::timestamptz` })
    .where(eq(sessions.id, sql.placeholder('sessionId'))),
);

export async function loadApiKeyActor(db: Executor, secretHash: string): Promise<{ actor: Actor; lastUsedAt: Date | null } | null> {
  const [row] = await apiKeyActor(db).execute({ secretHash });
  return row === undefined ? null : { actor: toActor(row, 'api_key', null), lastUsedAt: row.lastUsedAt };
}

const apiKeyActor = preparedQuery('identity_api_key_actor', (db) =>
  db
    .select({
      userId: sql<string | null>`null`,
      apiKeyId: apiKeys.id,
      displayName: apiKeys.name,
      email: sql<string | null>`null`,
      organizationId: organizations.id,
      organizationKind: organizations.kind,
      roles: apiKeys.roles,
      approvedPrograms,
      mustChangePassword: sql<boolean>`false`,
      mfaEnrolled: sql<boolean>`false`,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .where(and(eq(apiKeys.secretHash, sql.placeholder('secretHash')), isNull(apiKeys.revokedAt)))
    .limit(1),
);

export async function touchApiKey(db: Executor, id: string, now: Date): Promise<void> {
  await apiKeyTouch(db).execute({ id, now });
}

const apiKeyTouch = preparedQuery('identity_api_key_touch', (db) =>
  db
    .update(apiKeys)
    .set({ lastUsedAt: sql`${sql.placeholder('now')}::timestamptz` })
    .where(eq(apiKeys.id, sql.placeholder('id'))),
);

export async function insertApiKey(db: Executor, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [created] = await db.insert(apiKeys).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function listApiKeys(db: Executor, organizationId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId)).orderBy(apiKeys.createdAt);
}

export async function lockApiKey(db: Executor, organizationId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.organizationId, organizationId)))
    .for('update');
  return row;
}

export async function setApiKeyRevoked(db: Executor, id: string, at: Date): Promise<ApiKeyRow | undefined> {
  const [row] = await db.update(apiKeys).set({ revokedAt: at }).where(eq(apiKeys.id, id)).returning();
  return row;
}

/** Sets a password chosen by someone else (a reset): the user must change it at next sign-in. */
export async function setTemporaryPassword(db: Executor, userId: string, passwordHash: string, expiresAt: Date): Promise<void> {
  await db.update(users).set({ passwordHash, mustChangePassword: true, temporaryPasswordExpiresAt: expiresAt }).where(eq(users.id, userId));
}

export async function countUsers(db: Executor, organizationId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.organizationId, organizationId));
  return row?.n ?? 0;
}

/** What User management is sorted by; ties by user id. */
export type UserSortKey = 'name' | 'email' | 'created';

const userSortColumns = { name: sql<string>`lower(${users.displayName})`, email: users.email, created: users.createdAt } as const;

/** A user sort's key: one column (the id breaks ties). */
export const userSortKey = (sort: UserSortKey): SortKey => ({ columns: [{ sql: userSortColumns[sort], type: sort === 'created' ? 'timestamptz' : 'text' }] });

/** The organization's users the search keeps (a prefix of the name or of the email address). */
function userConditions(organizationId: string, search: string | undefined): SQL | undefined {
  return and(
    eq(users.organizationId, organizationId),
    search === undefined ? undefined : or(ilike(users.displayName, likePrefix(search)), like(users.email, likePrefix(search))),
  );
}

/** A page of the organization's users in the order asked, each with the key it was sorted by, as the database computed it. */
export async function listUsersPage(
  db: Executor,
  organizationId: string,
  query: { limit: number; after: SortAfter | null; search?: string | undefined; sort: UserSortKey; order: 'asc' | 'desc' },
): Promise<{ user: UserRow; sortKey: string }[]> {
  const column = userSortColumns[query.sort];
  const key = userSortKey(query.sort);
  const sortKey = query.sort === 'created' ? sql<string>`''` : sql<string>`${column}`;
  const rows = await db
    .select({ user: users, sortKey })
    .from(users)
    .where(and(userConditions(organizationId, query.search), keysetAfterSorted(key, users.id, query.order, query.after)))
    .orderBy(...orderBySorted(key, users.id, query.order))
    .limit(query.limit + 1);
  // Times travel as ISO text (the cursor's form); the database's text form of a timestamp is not ISO.
  return query.sort === 'created' ? rows.map((r) => ({ user: r.user, sortKey: r.user.createdAt.toISOString() })) : rows;
}

export async function countOrganizationUsers(db: Executor, organizationId: string, search: string | undefined): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(users).where(userConditions(organizationId, search)).limit(countCap + 1));
}

export async function lockOrganizationUser(db: Executor, organizationId: string, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.id, id), eq(users.organizationId, organizationId))).for('update');
  return row;
}

/** Active global admins of the organization, locked: two demotions cannot both leave zero. */
export async function lockActiveGlobalAdmins(db: Executor, organizationId: string): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.status, 'active'), sql`'global_admin' = any(${users.roles})`))
    .orderBy(users.id)
    .for('update');
}

export async function updateUserRow(db: Executor, id: string, changes: Partial<typeof users.$inferInsert>): Promise<UserRow> {
  const [row] = await db.update(users).set(changes).where(eq(users.id, id)).returning();
  if (row === undefined) throw new Error('update returned nothing');
  return row;
}

/** Ends everything a disabled or deleted user could still use: sessions and the API keys they created. */
export async function revokeUserCredentials(db: Executor, userId: string, at: Date): Promise<void> {
  await db.update(sessions).set({ revokedAt: at }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  await db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.createdByUserId, userId), isNull(apiKeys.revokedAt)));
}

/**
 * Removes a user; history keeps its id in audit events. Other modules' rows that point at the user
 * say what happens in their foreign keys (seats are deleted, invitations forget who sent or
 * accepted them), so identity names no table of theirs.
 */
export async function deleteUserRows(db: Executor, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
  await db.update(apiKeys).set({ createdByUserId: null }).where(eq(apiKeys.createdByUserId, userId));
  await db.delete(users).where(eq(users.id, userId));
}

export async function updateUserRoles(db: Executor, userId: string, roles: string[]): Promise<void> {
  await db.update(users).set({ roles }).where(eq(users.id, userId));
}

export async function setPendingTotpSecret(db: Executor, userId: string, sealedSecret: string): Promise<void> {
  await db.update(users).set({ totpPendingSecret: sealedSecret }).where(eq(users.id, userId));
}

/** Makes the pending seed the user's authenticator and records the step its confirming code used. */
export async function confirmTotpSecret(db: Executor, userId: string, step: number, at: Date): Promise<void> {
  await db
    .update(users)
    .set({ totpSecret: sql`${users.totpPendingSecret}`, totpPendingSecret: null, mfaEnrolledAt: at, totpLastStep: step })
    .where(eq(users.id, userId));
}

/** Removes the user's authenticator and recovery codes (an admin's reset for a lost device). */
export async function clearMfa(db: Executor, userId: string): Promise<void> {
  await db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await db.update(users).set({ totpSecret: null, totpPendingSecret: null, mfaEnrolledAt: null, totpLastStep: null }).where(eq(users.id, userId));
}

/**
 * Accepts a TOTP step once: a conditional update, so that two requests racing with the same code
 * cannot both pass (AUTH-06 replay).
 */
export async function claimTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const rows = await totpStepClaim(db).execute({ userId, step });
  return rows.length === 1;
}

/** Sign-in's second factor, named: takes the step once (a primary-key update). */
const totpStepClaim = preparedQuery('identity_totp_step_claim', (db) =>
  db
    .update(users)
    .set({ totpLastStep: sql`${sql.placeholder('step')}::integer` })
    .where(and(eq(users.id, sql.placeholder('userId')), sql`coalesce(${users.totpLastStep}, -1) < ${sql.placeholder('step')}::integer`))
    .returning({ id: users.id }),
);

export async function resealTotpSecret(db: Executor, userId: string, sealed: string): Promise<void> {
  await db.update(users).set({ totpSecret: sealed }).where(eq(users.id, userId));
}

export async function replaceRecoveryCodes(db: Executor, userId: string, codeHashes: readonly string[], at: Date): Promise<void> {
  await db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  if (codeHashes.length > 0) {
    await db.insert(mfaRecoveryCodes).values(codeHashes.map((codeHash) => ({ codeHash, userId, createdAt: at })));
  }
}

/** Uses a recovery code once (conditional update); false when unknown, foreign or used. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: at })
    .where(and(eq(mfaRecoveryCodes.codeHash, codeHash), eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)))
    .returning({ codeHash: mfaRecoveryCodes.codeHash });
  return rows.length === 1;
}

export async function setOrganizationKind(db: Executor, id: string, kind: OrganizationKind): Promise<void> {
  await db.update(organizations).set({ kind }).where(eq(organizations.id, id));
}
