import type { Product, Sku } from '@tierlink/client';
import type { Command } from 'commander';
import { connect } from '../context.ts';
import { money, note, printCsv, printJson, printTable, type Column } from '../output.ts';

type Row = Sku & { product: string };

const columns: readonly Column<Row>[] = [
  { header: 'sku', value: (s) => s.id },
  { header: 'product', value: (s) => s.product },
  { header: 'name', value: (s) => s.name },
  { header: 'monthly', value: (s) => (s.prices.monthly === null ? '-' : money(s.prices.monthly, s.currency)) },
  { header: 'annual', value: (s) => (s.prices.annual === null ? '-' : money(s.prices.annual, s.currency)) },
  { header: 'quantity', value: (s) => `${s.minQuantity}-${s.maxQuantity}` },
];

/** `tierlink catalog list`: the SKUs an order names, with their prices. */
export function registerCatalogList(catalog: Command): void {
  catalog
    .command('list')
    .description('list products and SKUs (the ids orders create --sku takes)')
    .option('--json', "print the API's JSON")
    .option('--csv', 'print CSV')
    .action(async (options: { json?: boolean; csv?: boolean }, command: Command) => {
      const { api } = await connect(command);
      const list = await api.listProducts();
      if (options.json === true) return printJson(list);
      const rows = list.items.flatMap((p: Product) => p.skus.map((s) => ({ ...s, product: p.name })));
      if (options.csv === true) return printCsv(rows, columns);
      if (rows.length === 0) return note('No products.');
      printTable(rows, columns);
    });
}
