import type { Command } from 'commander';
import { connect } from '../context.ts';
import { note, out, printFields, printJson, printTable, when } from '../output.ts';

/** `tierlink customers get ID`: one customer, its relationship and the caller's grants in it. */
export function registerCustomersGet(customers: Command): void {
  customers
    .command('get')
    .description('show one customer')
    .argument('<id>', 'customer organization id')
    .option('--json', "print the API's JSON")
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const { api } = await connect(command);
      const customer = await api.getCustomer({ id });
      if (options.json === true) return printJson(customer);
      const r = customer.relationship;
      printFields([
        ['Id', customer.id],
        ['Name', customer.name],
        ['Domain', customer.domain],
        ['Country', customer.country],
        ['Relationship', `${r.state}, ${r.source}, with ${r.partner.name} since ${when(r.createdAt)}${r.removedAt === null ? '' : `, removed ${when(r.removedAt)}`}`],
      ]);
      out();
      if (customer.delegatedAdmin.length === 0) return note('No delegated admin grants.');
      out('Delegated admin grants:');
      printTable(customer.delegatedAdmin, [
        { header: 'id', value: (g) => g.id },
        { header: 'state', value: (g) => g.state },
        { header: 'roles', value: (g) => g.roles.join(', ') },
        { header: 'starts', value: (g) => when(g.startsAt) },
        { header: 'ends', value: (g) => when(g.endsAt) },
      ]);
    });
}
