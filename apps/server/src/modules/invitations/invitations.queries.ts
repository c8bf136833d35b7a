import type { Invitation } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { presentInvitation } from './invitations.presenter.ts';
import { findInvitationView } from './invitations.repository.ts';

// Public reads of invitations: other modules call these through index.ts.

/** The invitation as its inviter sees it through the API; null when there is none. */
export async function presentInvitationById(db: Executor, id: string, now: Date): Promise<Invitation | null> {
  const view = await findInvitationView(db, id);
  return view === undefined ? null : presentInvitation(view, now);
}
