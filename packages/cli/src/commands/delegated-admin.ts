import type { DelegatedAdminRelationship } from '@tierlink/client';
import { Option, type Command } from 'commander';
import { connect } from '../context.ts';
import { note, out, printJson, printTable, when, type Column } from '../output.ts';
import { runList, withListOptions, type ListOptions } from '../paging.ts';

/** The API's relationship states (RelationshipState in the contract). */
const states = ['created', 'approval_pending', 'active', 'expiring', 'expired', 'rejected', 'lapsed', 'terminated'] as const;
type State = (typeof states)[number];
const roles = ['user_admin', 'license_admin', 'helpdesk'] as const;
type Role = (typeof roles)[number];

const columns: readonly Column<DelegatedAdminRelationship>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'name', value: (r) => r.displayName ?? '-' },
  { header: 'partner', value: (r) => r.partner.name },
  { header: 'customer', value: (r) => r.customer.name },
  { header: 'roles', value: (r) => r.roles.join(' ') },
  { header: 'state', value: (r) => r.state },
  { header: 'ends', value: (r) => when(r.endsAt) },
];

/** One line that says where a relationship stands after an action. */
function stateLine(r: DelegatedAdminRelationship): string {
  const name = r.displayName ?? r.id;
  if (r.state === 'approval_pending' && r.reseller !== null && r.resellerConsentedAt === null) return `${name}: waiting for ${r.reseller.name}'s consent.`;
  if (r.state === 'approval_pending') return `${name}: waiting for ${r.customer.name}'s approval at ${r.approvalUrl ?? '-'}`;
  return `${name} is ${r.state}${r.endsAt === null ? '' : `, ends ${when(r.endsAt)}`}.`;
}

/**
 * `tierlink delegated-admin …`: list relationships and what waits for you, request one (drafted
 * and sent for approval in one go), and approve, reject, consent to or terminate one.
 */
export function registerDelegatedAdmin(group: Command): void {
  withListOptions(group.command('list').description('list the delegated admin relationships of your organization'))
    .addOption(new Option('--state <state>', 'only relationships in this state').choices(states))
    .action(async (options: ListOptions & { state?: State }, command: Command) => {
      const { api } = await connect(command);
      await runList(options, (page) => api.listDelegatedAdminRelationships({ query: { ...page, state: options.state } }), columns, 'relationships');
    });

  group
    .command('pending')
    .description('what waits for your organization: approvals, amendments, consents')
    .option('--json', "print the API's JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { api } = await connect(command);
      const { items } = await api.listDelegatedAdminRequests();
      if (options.json === true) return printJson(items);
      if (items.length === 0) return note('Nothing waits for your organization.');
      printTable(items, [{ header: 'waits for', value: (i) => i.kind }, ...columns.map((c) => ({ header: c.header, value: (i: (typeof items)[number]) => c.value(i.relationship) }))]);
    });

  group
    .command('request')
    .description('ask a customer for delegated admin access: drafts the relationship and sends it for approval')
    .requiredOption('--customer <id>', 'customer organization id')
    .requiredOption('--name <name>', 'a name for the relationship, unique in your organization')
    .addOption(new Option('--role <role...>', 'delegated roles').choices(roles).makeOptionMandatory())
    .requiredOption('--duration <duration>', 'how long, in ISO 8601 days (P1D to P730D)')
    .option('--auto-extend', 'extend by 180 days at the end (not with user_admin)')
    .option('--reseller <id>', 'three-party: the reseller of record that must consent first')
    .option('--draft', 'only draft it; send it later with `send`')
    .option('--json', "print the API's JSON")
    .action(
      async (
        options: { customer: string; name: string; role: Role[]; duration: string; autoExtend?: boolean; reseller?: string; draft?: boolean; json?: boolean },
        command: Command,
      ) => {
        const { api } = await connect(command);
        const created = await api.createDelegatedAdminRelationship({
          body: {
            customerId: options.customer,
            displayName: options.name,
            roles: options.role,
            duration: options.duration,
            autoExtendDuration: options.autoExtend === true ? 'P180D' : 'P0D',
            ...(options.reseller === undefined ? {} : { resellerId: options.reseller }),
          },
        });
        const result = options.draft === true ? created : await api.requestDelegatedAdminTransition({ id: created.id, body: { action: 'lock_for_approval' } });
        if (options.json === true) return printJson(result);
        out(options.draft === true ? `Drafted ${result.id}.` : stateLine(result));
      },
    );

  const actions = {
    send: ['lock_for_approval', 'send a drafted relationship for approval'],
    approve: ['approve', 'approve a relationship your organization is asked for (customer)'],
    reject: ['reject', 'reject a relationship your organization is asked for (customer)'],
    consent: ['consent', 'consent to a three-party request (the named reseller)'],
    terminate: ['terminate', 'end an active relationship at once (either side)'],
  } as const;
  for (const [name, [action, description]] of Object.entries(actions)) {
    group
      .command(name)
      .description(description)
      .argument('<id>', 'relationship id')
      .option('--json', "print the API's JSON")
      .action(async (id: string, options: { json?: boolean }, command: Command) => {
        const { api } = await connect(command);
        const result = await api.requestDelegatedAdminTransition({ id, body: { action } });
        if (options.json === true) return printJson(result);
        out(stateLine(result));
      });
  }
}
