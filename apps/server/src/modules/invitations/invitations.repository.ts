import { countCap, type ListCount } from '@tierlink/contract';
import { and, desc, eq, gt, isNull, like, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { countUpTo, likePrefix } from '../../platform/cursor.ts';
import { keysetAfterSorted, orderBySorted, type SortAfter, type SortKey } from '../../platform/sorted-keyset.ts';
import { invitations, organizations } from '../../db/schema.ts';
import type { OrganizationRef } from '../delegated-admin/index.ts';

export type InvitationRow = typeof invitations.$inferSelect;
export interface InvitationView {
  invitation: InvitationRow;
  inviter: OrganizationRef;
  provider: OrganizationRef | null;
}

const inviterOrg = alias(organizations, 'inviter_org');
const providerOrg = alias(organizations, 'provider_org');

function selectViews(db: Executor) {
  return db
    .select({
      invitation: invitations,
      inviter: { id: inviterOrg.id, name: inviterOrg.name, domain: inviterOrg.domain, country: inviterOrg.country },
      provider: { id: providerOrg.id, name: providerOrg.name, domain: providerOrg.domain, country: providerOrg.country },
    })
    .from(invitations)
    .innerJoin(inviterOrg, eq(inviterOrg.id, invitations.organizationId))
    .leftJoin(providerOrg, eq(providerOrg.id, invitations.providerOrganizationId));
}

export async function insertInvitation(db: Executor, row: typeof invitations.$inferInsert): Promise<InvitationRow> {
  const [created] = await db.insert(invitations).values(row).returning();
  if (created === undefined) throw new Error('insert returned nothing');
  return created;
}

export async function findInvitationView(db: Executor, id: string): Promise<InvitationView | undefined> {
  const [row] = await selectViews(db).where(eq(invitations.id, id)).limit(1);
  return row;
}

/** Row lock: concurrent accepts of one invitation queue here and see each other's outcome. */
export async function lockInvitation(db: Executor, id: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id)).for('update');
  return row;
}

/** Conditional transition out of `pending`; returns nothing when another request got there first. */
export async function closeInvitation(
  db: Executor,
  id: string,
  state: 'accepted' | 'declined' | 'revoked' | 'expired',
  at: Date,
  accepted?: { userId: string; organizationId: string },
): Promise<InvitationRow | undefined> {
  const [row] = await db
    .update(invitations)
    .set({
      state,
      closedAt: at,
      ...(accepted === undefined ? {} : { acceptedAt: at, acceptedByUserId: accepted.userId, acceptedOrganizationId: accepted.organizationId }),
    })
    .where(and(eq(invitations.id, id), eq(invitations.state, 'pending')))
    .returning();
  return row;
}

/** The pending invitations a new one supersedes (same inviter, kind, invitee and provider), locked. */
export async function lockPendingDuplicates(
  db: Executor,
  input: { organizationId: string; kind: InvitationRow['kind']; email: string; providerOrganizationId: string | null },
): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, input.organizationId),
        eq(invitations.kind, input.kind),
        eq(invitations.email, input.email),
        eq(invitations.state, 'pending'),
        input.providerOrganizationId === null
          ? isNull(invitations.providerOrganizationId)
          : eq(invitations.providerOrganizationId, input.providerOrganizationId),
      ),
    )
    .for('update');
}

/** What Sent invitations may be sorted by: a column with the id as the tie-breaker. */
export type InvitationSortKey = 'createdAt' | 'expiresAt' | 'email';

const sortColumns = { createdAt: invitations.createdAt, expiresAt: invitations.expiresAt, email: invitations.email } as const;

/** A sort's key: one column (the id breaks ties). */
export const invitationSortKey = (sort: InvitationSortKey): SortKey => ({ columns: [{ sql: sortColumns[sort], type: sort === 'email' ? 'text' : 'timestamptz' }] });

/** The sort key of a row as its cursor carries it. */
export function invitationSortValue(row: InvitationRow, sort: InvitationSortKey): string {
  return sort === 'email' ? row.email : row[sort].toISOString();
}

export interface SentInvitationFilter {
  state?: InvitationRow['state'] | undefined;
  email?: string | undefined;
  now: Date;
}

function sentConditions(organizationId: string, filter: SentInvitationFilter): SQL | undefined {
  return and(
    eq(invitations.organizationId, organizationId),
    filter.state === undefined ? undefined : effectiveStateIs(filter.state, filter.now),
    // Emails are stored lower-cased.
    filter.email === undefined || filter.email === '' ? undefined : like(invitations.email, likePrefix(filter.email)),
  );
}

export async function listSentInvitations(
  db: Executor,
  organizationId: string,
  query: SentInvitationFilter & { limit: number; after: SortAfter | null; sort: InvitationSortKey; order: 'asc' | 'desc' },
): Promise<InvitationView[]> {
  const key = invitationSortKey(query.sort);
  return selectViews(db)
    .where(and(sentConditions(organizationId, query), keysetAfterSorted(key, invitations.id, query.order, query.after)))
    .orderBy(...orderBySorted(key, invitations.id, query.order))
    .limit(query.limit + 1);
}

/** How many sent invitations the filter keeps, exact up to the count cap. */
export async function countSentInvitations(db: Executor, organizationId: string, filter: SentInvitationFilter): Promise<ListCount> {
  return countUpTo(db, db.select({ one: sql`1` }).from(invitations).where(sentConditions(organizationId, filter)).limit(countCap + 1));
}

/** The state filter matches what the list shows: a pending invitation past its expiry counts as expired. */
function effectiveStateIs(state: InvitationRow['state'], now: Date) {
  if (state === 'pending') return and(eq(invitations.state, 'pending'), gt(invitations.expiresAt, now));
  if (state === 'expired') return or(eq(invitations.state, 'expired'), and(eq(invitations.state, 'pending'), lte(invitations.expiresAt, now)));
  return eq(invitations.state, state);
}

export async function lockLapsed(db: Executor, now: Date, batch: number): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.state, 'pending'), lte(invitations.expiresAt, now)))
    .limit(batch)
    .for('update', { skipLocked: true });
}

/**
 * Serializes the invitation quota checks of one sending organization until the transaction ends
 * (a transaction-scoped advisory lock): two concurrent sends cannot both take the last free slot.
 * No row is locked, so nothing else that touches the organization waits for it.
 */
export async function lockSenderQuota(db: Executor, organizationId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invitation-quota:${organizationId}`}, 0))`);
}

/**
 * When the `limit`-th most recent invitation the organization (to `email`, when given) created
 * after `since` was created, or null when there are fewer: the quota is used up until that
 * invitation leaves the window.
 */
export async function nthLatestSentBy(db: Executor, scope: { organizationId: string; email?: string }, since: Date, limit: number): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: invitations.createdAt })
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, scope.organizationId),
        scope.email === undefined ? undefined : eq(invitations.email, scope.email),
        gt(invitations.createdAt, since),
      ),
    )
    .orderBy(desc(invitations.createdAt))
    .limit(1)
    .offset(limit - 1);
  return row?.createdAt ?? null;
}
