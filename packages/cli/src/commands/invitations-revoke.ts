import type { Command } from 'commander';
import { connect } from '../context.ts';
import { out, printJson } from '../output.ts';

/** `tierlink invitations revoke ID`: a pending invitation can no longer be accepted. */
export function registerInvitationsRevoke(invitations: Command): void {
  invitations
    .command('revoke')
    .description('revoke a pending invitation')
    .argument('<id>', 'invitation id')
    .option('--json', "print the API's JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const { api } = await connect(command);
      const invitation = await api.revokeInvitation({ id });
      if (options.json === true) return printJson(invitation);
      out(`Invitation ${invitation.id} to ${invitation.email} is ${invitation.state}.`);
    });
}
