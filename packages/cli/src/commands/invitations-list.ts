import type { Invitation } from '@tierlink/client';
import { Option, type Command } from 'commander';
import { connect } from '../context.ts';
import { when, type Column } from '../output.ts';
import { runList, withListOptions, type ListOptions } from '../paging.ts';

/** The API's invitation states (InvitationState in the contract). */
const states = ['pending', 'accepted', 'declined', 'revoked', 'expired'] as const;
type State = (typeof states)[number];

const columns: readonly Column<Invitation>[] = [
  { header: 'id', value: (i) => i.id },
  { header: 'kind', value: (i) => (i.kind === 'partnership' ? 'reseller' : 'customer') },
  { header: 'email', value: (i) => i.email },
  { header: 'state', value: (i) => i.state },
  { header: 'provider', value: (i) => i.provider?.name ?? '-' },
  { header: 'created', value: (i) => when(i.createdAt) },
  { header: 'expires', value: (i) => when(i.expiresAt) },
];

/** `tierlink invitations list`: invitations the organization sent, newest first. */
export function registerInvitationsList(invitations: Command): void {
  withListOptions(invitations.command('list').description('list the invitations your organization sent'))
    .addOption(new Option('--state <state>', 'only invitations in this state').choices(states))
    .action(async (options: ListOptions & { state?: State }, command: Command) => {
      const { api } = await connect(command);
      await runList(options, (page) => api.listInvitations({ query: { ...page, state: options.state } }), columns, 'invitations');
    });
}
