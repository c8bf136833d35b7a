import type { User } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { when, type Column } from '../output.ts';
import { runList, withListOptions, type ListOptions } from '../paging.ts';

const columns: readonly Column<User>[] = [
  { header: 'id', value: (u) => u.id },
  { header: 'name', value: (u) => u.displayName },
  { header: 'email', value: (u) => u.email },
  { header: 'roles', value: (u) => u.roles.join(', ') },
  { header: 'status', value: (u) => u.status },
  { header: 'mfa', value: (u) => (u.mfaEnrolled ? 'yes' : 'no') },
  { header: 'created', value: (u) => when(u.createdAt) },
];

/** `tierlink users list`: the users of the own organization. */
export function registerUsersList(users: Command): void {
  withListOptions(users.command('list').description("list your organization's users")).action(async (options: ListOptions, command: Command) => {
    const { api } = await connect(command);
    await runList(options, (page) => api.listUsers({ query: page }), columns, 'users');
  });
}
