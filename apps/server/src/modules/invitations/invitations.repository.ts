import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/database.ts';
import { beforeTime } from '../../platform/cursor.ts';
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

export async function listSentInvitations(
  db: Executor,
  organizationId: string,
  query: { limit: number; after: [string, string] | null; state?: InvitationRow['state']; now: Date },
): Promise<InvitationView[]> {
  return selectViews(db)
    .where(
      and(
        eq(invitations.organizationId, organizationId),
        query.state === undefined ? undefined : effectiveStateIs(query.state, query.now),
        beforeTime(invitations.createdAt, invitations.id, query.after),
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(query.limit + 1);
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
