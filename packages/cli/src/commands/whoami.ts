import type { Command } from 'commander';
import { connect } from '../context.ts';
import { printFields, printJson } from '../output.ts';

/** `tierlink whoami`: who the stored or given key acts as, and what it may do. */
export function registerWhoami(program: Command): void {
  program
    .command('whoami')
    .description('show the organization and key the CLI acts as')
    .option('--json', "print the API's JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { api, url, profile } = await connect(command);
      const me = await api.me();
      if (options.json === true) return printJson(me);
      const programs = me.organization.programs.map((p) => `${p.program} (${p.state})`).join(', ');
      printFields([
        ['Server', url],
        ['Profile', profile],
        ['Organization', `${me.organization.name} (${me.organization.domain}, ${me.organization.kind})`],
        ['Organization id', me.organization.id],
        ...(programs === '' ? [] : [['Programs', programs] as const]),
        ['Acting as', me.apiKey !== null ? `API key "${me.apiKey.name}" (${me.apiKey.id})` : `${me.user?.displayName ?? ''} <${me.user?.email ?? ''}>`],
        ...(me.user !== null ? [['Roles', me.user.roles.join(', ')] as const] : []),
        ['Permissions', me.permissions.join(', ')],
      ]);
    });
}
