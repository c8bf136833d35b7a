import type { Subscription } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { note, printCsv, printJson, printTable, when, type Column } from '../output.ts';

const subscriptionColumns: readonly Column<Subscription>[] = [
  { header: 'id', value: (s) => s.id },
  { header: 'product', value: (s) => s.productName },
  { header: 'sku', value: (s) => s.skuName },
  { header: 'cycle', value: (s) => s.billingCycle },
  { header: 'quantity', value: (s) => String(s.quantity) },
  { header: 'assigned', value: (s) => String(s.assignedLicenses) },
  { header: 'status', value: (s) => s.status },
  { header: 'provider', value: (s) => s.provider.name },
  { header: 'reseller', value: (s) => s.reseller?.name ?? '-' },
  { header: 'updated', value: (s) => when(s.updatedAt) },
];

/** `tierlink subscriptions list --customer ID`: a customer's subscriptions the caller can see. */
export function registerSubscriptionsList(subscriptions: Command): void {
  subscriptions
    .command('list')
    .description("list a customer's subscriptions")
    .requiredOption('--customer <id>', 'customer organization id')
    .option('--json', "print the API's JSON")
    .option('--csv', 'print CSV')
    .action(async (options: { customer: string; json?: boolean; csv?: boolean }, command: Command) => {
      const { api } = await connect(command);
      const list = await api.listCustomerSubscriptions({ id: options.customer });
      if (options.json === true) return printJson(list);
      if (options.csv === true) return printCsv(list.items, subscriptionColumns);
      if (list.items.length === 0) return note('No subscriptions.');
      printTable(list.items, subscriptionColumns);
    });
}
