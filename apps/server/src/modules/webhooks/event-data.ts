import type { EventType } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { presentCreditById, presentOrderById, presentSubscriptionById } from '../commerce/index.ts';
import { presentRelationshipById } from '../customers/index.ts';
import { presentDelegatedRelationshipById, presentGrantById } from '../delegated-admin/index.ts';
import { presentEnrollmentById } from '../enrollment/index.ts';
import { presentUserById } from '../identity/index.ts';
import { presentInvitationById } from '../invitations/index.ts';
import { presentPartnershipById } from '../partnerships/index.ts';

const legacyGrantEvents: ReadonlySet<EventType> = new Set(['delegated_admin.granted', 'delegated_admin.revoked', 'delegated_admin.expired']);

/**
 * The resource an event is about, as the API presents it now (read in the fan-out's transaction,
 * so it is the committed state). Null when it is gone; a deletion's data is its id.
 */
export async function eventData(db: Executor, eventType: EventType, target: { type: string; id: string }, now: Date): Promise<unknown> {
  if (eventType === 'user.deleted') return { id: target.id };
  switch (target.type) {
    case 'partnership':
      return presentPartnershipById(db, target.id);
    case 'invitation':
      return presentInvitationById(db, target.id, now);
    case 'reseller_relationship':
      return presentRelationshipById(db, target.id);
    case 'delegated_admin_grant':
      // The seed's three grant events keep the grant's shape; the relationship's own events carry the relationship
      // (its approval link relative: the fan-out knows no public address).
      return legacyGrantEvents.has(eventType) ? presentGrantById(db, target.id, now) : presentDelegatedRelationshipById(db, target.id, now, '');
    case 'order':
      return presentOrderById(db, target.id);
    case 'subscription':
      return presentSubscriptionById(db, target.id);
    case 'partner_profile':
      return presentEnrollmentById(db, target.id);
    case 'user':
      return presentUserById(db, target.id);
    case 'credit_terms':
      return presentCreditById(db, target.id, now);
    default:
      return null;
  }
}
