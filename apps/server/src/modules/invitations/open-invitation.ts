import { AppError } from '../../platform/errors.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import type { Executor } from '../../db/database.ts';
import { effectiveState } from './invitations.presenter.ts';
import { lockInvitation, type InvitationRow } from './invitations.repository.ts';

/**
 * Locks the invitation and checks the token and that it is still open. A wrong token answers
 * exactly like an unknown id, so ids cannot be probed.
 */
export async function openPendingInvitation(tx: Executor, id: string, token: string, now: Date): Promise<InvitationRow> {
  const invitation = await lockInvitation(tx, id);
  if (invitation === undefined || !tokenMatches(token, invitation.tokenHash)) {
    throw new AppError('invitation_not_found', 'This invitation link is not valid.');
  }
  const state = effectiveState(invitation, now);
  if (state === 'expired') throw new AppError('invitation_expired', 'This invitation has expired; ask for a new one.');
  if (state !== 'pending') throw new AppError('invitation_not_pending', `This invitation was already ${state}.`);
  return invitation;
}
