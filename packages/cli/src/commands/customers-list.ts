import type { Customer } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { when, type Column } from '../output.ts';
import { runList, withListOptions, type ListOptions } from '../paging.ts';

export const customerColumns: readonly Column<Customer>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'name', value: (c) => c.name },
  { header: 'domain', value: (c) => c.domain },
  { header: 'country', value: (c) => c.country },
  { header: 'relationship', value: (c) => `${c.relationship.state} (${c.relationship.source})` },
  { header: 'delegated admin', value: (c) => (c.delegatedAdmin.some((g) => g.state === 'active') ? 'yes' : 'no') },
  { header: 'since', value: (c) => when(c.relationship.createdAt) },
];

/** `tierlink customers list`: the caller's customers, filtered by name prefix. */
export function registerCustomersList(customers: Command): void {
  withListOptions(customers.command('list').description('list your customers (one page unless --all)'))
    .option('--name <prefix>', 'only names starting with this (case-insensitive)')
    .action(async (options: ListOptions & { name?: string }, command: Command) => {
      const { api } = await connect(command);
      await runList(options, (page) => api.listCustomers({ query: { ...page, name: options.name } }), customerColumns, 'customers');
    });
}
