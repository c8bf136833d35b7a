import { AppError } from '../../platform/errors.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import type { Executor } from '../../db/database.ts';
import { effectiveState } from './invitations.policy.ts';
import { lockInvitation, type InvitationRow } from './invitations.repository.ts';

/**
 * Locks the invitation and checks the token and that it is still open. A wrong token answers
 * exactly like an unknown id, so ids cannot be probed.
 */
export async function openPendingInvitation(tx: Executor, id: string, token: string, now: Date): Promise<InvitationRow> {
  return assertPending(await lockInvitation(tx, id), token, now);
}

/** Unknown id and wrong token alike. */
export function invalidLink(): AppError {
  return new AppError('invitation_not_found', 'This invitation link is not valid.');
}

/** The checks of `openPendingInvitation` on an invitation the caller locked itself. */
export function assertPending(invitation: InvitationRow | undefined, token: string, now: Date): InvitationRow {
  if (invitation === undefined || !tokenMatches(token, invitation.tokenHash)) throw invalidLink();
  const state = effectiveState(invitation, now);
  if (state === 'expired') throw new AppError('invitation_expired', 'This invitation has expired; ask for a new one.');
  if (state !== 'pending') throw new AppError('invitation_not_pending', `This invitation was already ${state}.`);
  return invitation;
}
