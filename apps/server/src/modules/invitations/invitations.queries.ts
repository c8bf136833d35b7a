import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Invitation } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { invitations } from '../../db/schema.ts';
import { presentInvitation } from './invitations.presenter.ts';
import { findInvitationView } from './invitations.repository.ts';

// Public reads of invitations: other modules call these through index.ts.

/** The invitation as its inviter sees it through the API; null when there is none. */
export async function presentInvitationById(db: Executor, id: string, now: Date): Promise<Invitation | null> {
  const view = await findInvitationView(db, id);
  return view === undefined ? null : presentInvitation(view, now);
}

/** Invitations the organization sent that are still pending at `now` (not past their expiry, swept or not). */
export async function countPendingInvitations(db: Executor, organizationId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.state, 'pending'), gt(invitations.expiresAt, now)));
  return Number(row?.count ?? 0);
}

export interface PendingInvitation {
  id: string;
  kind: 'partnership' | 'reseller_relationship';
  email: string;
  organizationId: string;
  providerOrganizationId: string | null;
  expiresAt: Date;
}

/**
 * Joint customer invitations the reseller sent naming the provider, still pending at `now`, oldest
 * first: what ending their partnership leaves open (offboarding).
 */
export async function pendingJointInvitations(db: Executor, resellerId: string, providerId: string, now: Date): Promise<PendingInvitation[]> {
  return db
    .select({
      id: invitations.id,
      kind: invitations.kind,
      email: invitations.email,
      organizationId: invitations.organizationId,
      providerOrganizationId: invitations.providerOrganizationId,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.organizationId, resellerId),
        eq(invitations.providerOrganizationId, providerId),
        eq(invitations.state, 'pending'),
        gt(invitations.expiresAt, now),
      ),
    )
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
}
