import { AppError } from '../../platform/errors.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import type { Executor } from '../../db/database.ts';
import { findInvitationView, type InvitationView } from './invitations.repository.ts';

/** What the invitee sees before deciding. Reads only: mail scanners may open the link freely. */
export async function getInvitation(db: Executor, id: string, token: string): Promise<InvitationView> {
  const view = await findInvitationView(db, id);
  if (view === undefined || !tokenMatches(token, view.invitation.tokenHash)) {
    throw new AppError('invitation_not_found', 'This invitation link is not valid.');
  }
  return view;
}
