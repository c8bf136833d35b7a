import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import { connect } from '../context.ts';
import { money, note, out, printJson, printTable } from '../output.ts';
import { integer } from '../options.ts';

interface Options {
  customer: string;
  sku: string;
  quantity: number;
  cycle: 'monthly' | 'annual';
  provider?: string;
  idempotencyKey?: string;
  json?: boolean;
}

/**
 * `tierlink orders create`: one line for one SKU. Every order carries an Idempotency-Key; the one
 * generated here is printed before the request, so a retry after a lost answer can reuse it.
 */
export function registerOrdersCreate(orders: Command): void {
  orders
    .command('create')
    .description("place an order for a customer (prints the Idempotency-Key; pass it again to retry safely)")
    .requiredOption('--customer <id>', 'customer organization id')
    .requiredOption('--sku <id>', 'SKU id')
    .requiredOption('--quantity <n>', 'seats (1-1000000)', integer(1, 1_000_000))
    .addOption(new Option('--cycle <cycle>', 'billing cycle').choices(['monthly', 'annual']).default('monthly'))
    .option('--provider <id>', 'as a reseller: order through this indirect provider')
    .option('--idempotency-key <key>', 'reuse the key of an earlier attempt (a retry is then answered, not repeated)')
    .option('--json', "print the API's JSON")
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      const key = options.idempotencyKey ?? randomUUID();
      // stderr, so that --json output stays pure and the key is seen even if the call fails.
      note(`Idempotency-Key: ${key}`);
      const order = await api.placeOrder({
        id: options.customer,
        body: { lines: [{ skuId: options.sku, quantity: options.quantity, billingCycle: options.cycle }], providerId: options.provider },
        headers: { 'idempotency-key': key },
      });
      if (options.json === true) return printJson(order);
      out(`Order ${order.id}: ${order.state}, total ${money(order.totalAmount, order.currency)}`);
      out(`Customer ${order.customer.name}, provider ${order.provider.name}${order.reseller === null ? '' : `, reseller ${order.reseller.name}`}`);
      printTable(order.lines, [
        { header: 'sku', value: (l) => l.skuId },
        { header: 'quantity', value: (l) => String(l.quantity) },
        { header: 'cycle', value: (l) => l.billingCycle },
        { header: 'unit price', value: (l) => money(l.unitPrice, order.currency) },
        { header: 'amount', value: (l) => money(l.amount, order.currency) },
        { header: 'subscription', value: (l) => l.subscriptionId },
      ]);
    });
}
