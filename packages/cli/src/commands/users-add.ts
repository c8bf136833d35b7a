import type { Command } from 'commander';
import { connect } from '../context.ts';
import { out, paint, printJson } from '../output.ts';

interface Options {
  name: string;
  email: string;
  role?: string[];
  json?: boolean;
}

/** `tierlink users add`: a user of the own organization; its temporary password is shown once. */
export function registerUsersAdd(users: Command): void {
  users
    .command('add')
    .description('add a user to your organization (prints the temporary password once)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--email <email>', 'email address')
    .option('--role <role...>', 'roles: global_admin, user_admin, billing_admin, admin_agent, sales_agent, helpdesk_agent')
    .option('--json', "print the API's JSON (it holds the temporary password)")
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      // The API checks role names and the caller's ceiling; the CLI passes them as typed.
      const roles = (options.role ?? []) as NonNullable<Parameters<typeof api.addUser>[0]['body']['roles']>;
      const added = await api.addUser({ body: { displayName: options.name, email: options.email, roles } });
      if (options.json === true) return printJson(added);
      out(`Added ${added.user.displayName} <${added.user.email}> (${added.user.id}), roles: ${added.user.roles.join(', ') || 'none'}.`);
      out(`${paint(process.stdout, 'bold', 'Temporary password')} (shown only now; valid 72 hours, to sign in and choose a new one): ${added.temporaryPassword}`);
    });
}
