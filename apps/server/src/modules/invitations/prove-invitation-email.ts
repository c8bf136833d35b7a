import type { Executor } from '../../db/database.ts';
import { tokenMatches } from '../../platform/tokens.ts';
import { effectiveState } from './invitations.policy.ts';
import { findInvitationView } from './invitations.repository.ts';

/**
 * Sign-up from a customer invitation: a valid, open token for `email` proves the address. The
 * invitation is not consumed here; accepting it remains an explicit step.
 */
export async function proveInvitationEmail(tx: Executor, invitation: { id: string; token: string }, email: string, now: Date): Promise<boolean> {
  const view = await findInvitationView(tx, invitation.id);
  if (view === undefined || !tokenMatches(invitation.token, view.invitation.tokenHash)) return false;
  return view.invitation.kind === 'reseller_relationship' && effectiveState(view.invitation, now) === 'pending' && view.invitation.email === email;
}
