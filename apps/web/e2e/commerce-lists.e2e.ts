import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, checkPage, launchBrowser, newPerson, openPage, signIn, switchLanguage, unique, type Watched } from './harness.ts';

const providerEmail = 'admin@meridian-distribution.example';
const resellerEmail = 'admin@cedar-networks.example';
const operatorEmail = 'operator@tierlink.example';
/** Demo data: Meridian Distribution (provider) shares Juniper Architects with Cedar Networks (reseller). */
const customerName = 'Juniper Architects';

interface Ref {
  id: string;
  name: string;
}
interface SubscriptionItem {
  id: string;
  customer: Ref;
  skuName: string;
  quantity: number;
}
interface OrderItem {
  id: string;
  customer: Ref;
  totalAmount: number;
  currency: string;
}
interface Counted<T> {
  items: T[];
  nextCursor: string | null;
  count: { value: number; exact: boolean } | null;
}
interface CreditLine {
  provider: Ref;
  reseller: Ref;
  limit: number | null;
  currency: string | null;
  available: number;
}

/** A call to the API as the page's signed-in person (same origin, the session cookie). */
async function call<T>(page: Page, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const answer = await page.evaluate(
    async ({ url, body, headers }) => {
      const response = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    },
    { url, body, headers },
  );
  if (answer.status >= 300) throw new Error(`${url}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as T;
}

/** The data rows' text, header row left out. */
async function rowTexts(page: Page, table: string): Promise<string[]> {
  return (await page.getByRole('table', { name: table }).getByRole('row').allInnerTexts()).slice(1);
}

/** The table shows exactly these items, in this order (each row names its customer and `label`). */
async function expectRows<T>(page: Page, table: string, items: T[], label: (item: T) => string[]): Promise<void> {
  await expect
    .poll(async () => {
      const rows = await rowTexts(page, table);
      return rows.length === items.length && items.every((item, n) => label(item).every((text) => rows[n]?.includes(text) === true));
    }, { timeout: 15_000 })
    .toBe(true);
}

const money = (minor: number) => `$${(minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

// The partner-wide Subscriptions and Orders pages: sorted by the server both ways (aria-sort on the
// header), searched by customer name, paged with a page-size choice and a count, exported as CSV
// (the downloaded file parsed and compared with the API); and the order dialog's total and credit left.
describe('partner-wide subscriptions and orders', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  let provider: Watched;
  let reseller: Watched;
  let skuNames: string[] = [];

  const person = async (email: string): Promise<Watched> => {
    const context = await newPerson(browser);
    people.push(context);
    const w = await openPage(context);
    await signIn(w.page, email);
    return w;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    // More subscriptions than a page holds: the operator adds a product of 15 SKUs (named to sort
    // last in the catalog) and the provider orders each SKU on both cycles for Juniper, directly
    // (no reseller of record: no credit line moves).
    const operator = await person(operatorEmail);
    const product = await call<{ skus: { id: string; name: string }[] }>(operator.page, '/api/v1/operator/catalog/products', {
      name: 'Zephyr Suite',
      skus: Array.from({ length: 15 }, (_, n) => ({
        name: `Zephyr ${String(n + 1).padStart(2, '0')}`,
        currency: 'USD',
        prices: { monthly: 300 + n * 10, annual: 3000 + n * 100 },
        minQuantity: 1,
        maxQuantity: 500,
      })),
    });
    skuNames = product.skus.map((s) => s.name);
    provider = await person(providerEmail);
    reseller = await person(resellerEmail);
    const customers = await call<{ items: Ref[] }>(provider.page, `/api/v1/customers?name=${encodeURIComponent(customerName)}`);
    const juniper = customers.items[0];
    if (juniper === undefined) throw new Error('no Juniper Architects');
    const lines = product.skus.flatMap((s, n) => [
      { skuId: s.id, quantity: ((n * 7) % 13) + 1, billingCycle: 'monthly' },
      { skuId: s.id, quantity: ((n * 5) % 11) + 2, billingCycle: 'annual' },
    ]);
    await call(provider.page, `/api/v1/customers/${juniper.id}/orders`, { lines }, { 'idempotency-key': unique('zephyr') });
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });

  it('Subscriptions: sorts both ways with aria-sort, searches, pages with a page size and a count, and downloads the CSV of what the filter shows', async () => {
    const page = provider.page;
    // "/subscriptions" is the partner's list across its customers (a customer's own list for a customer admin).
    await page.getByRole('link', { name: 'Subscriptions', exact: true }).click();
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    const all = await call<Counted<SubscriptionItem>>(page, '/api/v1/partner-subscriptions?limit=50&count=true');
    const total = all.count?.value ?? 0;
    expect(total).toBeGreaterThan(30);
    // Sorted by customer name A→Z at first.
    const customer = page.getByRole('columnheader', { name: 'Customer' });
    await expect.poll(() => customer.getAttribute('aria-sort')).toBe('ascending');
    await expectRows(page, 'Subscriptions', all.items, (s) => [s.customer.name, s.skuName]);
    await page.getByText(`1–${all.items.length} of ${total} subscriptions`).waitFor();
    // Each row links to its customer's page.
    expect(await page.getByRole('table', { name: 'Subscriptions' }).getByRole('link', { name: customerName }).count()).toBeGreaterThan(0);
    await checkBothLanguages(provider, 'partner-subscriptions');

    // Quantity: most seats first, then the other way.
    const quantity = page.getByRole('columnheader', { name: 'Quantity' });
    await quantity.getByRole('button').click();
    await expect.poll(() => quantity.getAttribute('aria-sort')).toBe('descending');
    expect(await customer.getAttribute('aria-sort')).toBe('none');
    const desc = await call<Counted<SubscriptionItem>>(page, '/api/v1/partner-subscriptions?sort=quantity&order=desc&limit=50');
    await expectRows(page, 'Subscriptions', desc.items, (s) => [s.customer.name, s.skuName, `${s.quantity} seat`]);
    await quantity.getByRole('button').click();
    await expect.poll(() => quantity.getAttribute('aria-sort')).toBe('ascending');
    const asc = await call<Counted<SubscriptionItem>>(page, '/api/v1/partner-subscriptions?sort=quantity&order=asc&limit=50');
    await expectRows(page, 'Subscriptions', asc.items, (s) => [s.customer.name, s.skuName, `${s.quantity} seat`]);

    // Search by customer name prefix, 25 rows a page: the count line and the pages follow the server.
    await page.getByLabel('Search by customer name').fill('junip');
    await page.getByLabel('Rows per page').selectOption('25');
    const first = await call<Counted<SubscriptionItem>>(page, '/api/v1/partner-subscriptions?customerName=junip&sort=quantity&order=asc&limit=25&count=true');
    const matched = first.count?.value ?? 0;
    expect(matched).toBeGreaterThan(25);
    await expectRows(page, 'Subscriptions', first.items, (s) => [customerName, s.skuName]);
    await page.getByText(`1–25 of ${matched} subscriptions`).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    const second = await call<Counted<SubscriptionItem>>(page, `/api/v1/partner-subscriptions?customerName=junip&sort=quantity&order=asc&limit=25&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    await expectRows(page, 'Subscriptions', second.items, (s) => [customerName, s.skuName]);
    await page.getByText(`26–${matched} of ${matched} subscriptions`).waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await expectRows(page, 'Subscriptions', first.items, (s) => [customerName, s.skuName]);

    // Download CSV: the file holds every row the filter shows, in the order shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('subscriptions.csv');
    const rows = parse(readFileSync(await download.path(), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['id'])).toEqual([...first.items, ...second.items].map((s) => s.id));
    expect(rows.every((r) => r['customer_name'] === customerName)).toBe(true);
    expect(rows.filter((r) => skuNames.includes(r['sku'] ?? ''))).toHaveLength(30);
    await checkPage(provider);
    // The Russian count line: "1–25 из 32 подписок" (the noun agrees with the number).
    await switchLanguage(page, 'ru');
    await page.getByText(new RegExp(`^1–25 из ${matched} подпис(ки|ок)$`)).waitFor();
    await switchLanguage(page, 'en');
  });

  it('Orders: sorts by total both ways, searches and downloads the CSV', async () => {
    const page = provider.page;
    await page.goto('/orders');
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    const placed = page.getByRole('columnheader', { name: 'Placed' });
    await expect.poll(() => placed.getAttribute('aria-sort')).toBe('descending');
    const newest = await call<Counted<OrderItem>>(page, '/api/v1/partner-orders?limit=50&count=true');
    await expectRows(page, 'Orders', newest.items, (o) => [o.customer.name, money(o.totalAmount)]);
    await page.getByText(`1–${newest.items.length} of ${newest.count?.value ?? 0} order`).waitFor();
    await checkBothLanguages(provider, 'partner-orders');

    const totalHeader = page.getByRole('columnheader', { name: 'Total' });
    await totalHeader.getByRole('button').click();
    await expect.poll(() => totalHeader.getAttribute('aria-sort')).toBe('descending');
    const biggest = await call<Counted<OrderItem>>(page, '/api/v1/partner-orders?sort=total&order=desc&limit=50');
    await expectRows(page, 'Orders', biggest.items, (o) => [o.customer.name, money(o.totalAmount)]);
    await totalHeader.getByRole('button').click();
    await expect.poll(() => totalHeader.getAttribute('aria-sort')).toBe('ascending');
    const smallest = await call<Counted<OrderItem>>(page, '/api/v1/partner-orders?sort=total&order=asc&limit=50');
    await expectRows(page, 'Orders', smallest.items, (o) => [o.customer.name, money(o.totalAmount)]);

    await page.getByLabel('Search by customer name').fill('delta');
    const delta = await call<Counted<OrderItem>>(page, '/api/v1/partner-orders?customerName=delta&sort=total&order=asc&limit=50');
    expect(delta.items.length).toBeGreaterThan(0);
    await expectRows(page, 'Orders', delta.items, (o) => ['Delta Dental Group', money(o.totalAmount)]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const rows = parse(readFileSync(await download.path(), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['id'])).toEqual(delta.items.map((o) => o.id));
    expect(rows.map((r) => Number(r['total_amount']))).toEqual(delta.items.map((o) => o.totalAmount));
    await page.getByLabel('Search by customer name').fill('');
    await expectRows(page, 'Orders', smallest.items, (o) => [o.customer.name, money(o.totalAmount)]);
    await checkPage(provider);
  });

  it('the order dialog shows the total and the credit left on the line the order draws on, and says when the total exceeds it', async () => {
    const page = reseller.page;
    await page.goto('/customers');
    await page.getByLabel('Search by name').fill(customerName);
    await page.getByRole('link', { name: customerName }).click();
    await page.getByRole('heading', { name: customerName, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Place an order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Product (SKU)').selectOption({ label: 'Nimbus Workplace Premium' });
    await dialog.getByLabel('Through indirect provider').selectOption({ label: 'Meridian Distribution' });
    await dialog.getByLabel('Billing cycle').selectOption('monthly');
    await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).fill('3');
    // $22.00 a seat monthly.
    await dialog.getByText('Total: $66.00').waitFor();
    const providers = await call<{ items: { organization: Ref }[] }>(page, '/api/v1/indirect-providers?limit=50');
    const meridian = providers.items.find((p) => p.organization.name === 'Meridian Distribution')?.organization.id ?? '';
    const credit = await call<{ items: CreditLine[] }>(page, `/api/v1/indirect-providers/credit?ids=${meridian}`);
    const available = credit.items[0]?.available ?? 0;
    expect(available).toBeGreaterThan(6600);
    await dialog.getByText(`Credit left this month with Meridian Distribution: ${money(available)}`).waitFor();
    expect(await dialog.getByText('The total is more than the credit left', { exact: false }).count()).toBe(0);
    // More seats than the credit covers ($36.00 a seat a year, up to 5 000 seats): said before
    // submit (the server refuses such an order when it comes).
    await dialog.getByLabel('Product (SKU)').selectOption({ label: 'Sentinel Endpoint Defense P1' });
    const seats = Math.floor(available / 3600) + 1;
    expect(seats).toBeLessThanOrEqual(5000);
    await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).fill(String(seats));
    await dialog.getByText(`Total: ${money(seats * 3600)}`).waitFor();
    await dialog.getByText(`The total is more than the credit left (${money(available)}): the provider will refuse this order.`).waitFor();
    await checkPage(reseller);
    await page.keyboard.press('Escape');

    // The provider naming the reseller of record reads the reseller's credit line.
    const p = provider.page;
    await p.goto('/customers');
    await p.getByLabel('Search by name').fill(customerName);
    await p.getByRole('link', { name: customerName }).click();
    await p.getByRole('heading', { name: customerName, level: 1 }).waitFor();
    await p.getByRole('button', { name: 'Place an order' }).click();
    const order = p.getByRole('dialog');
    await order.getByText('No credit line applies: the customer buys from you directly.').waitFor();
    await order.getByLabel('Reseller of record').selectOption({ label: 'Cedar Networks' });
    const resellers = await call<{ items: { organization: Ref }[] }>(p, '/api/v1/indirect-resellers?limit=50');
    const cedar = resellers.items.find((r) => r.organization.name === 'Cedar Networks')?.organization.id ?? '';
    const line = await call<{ items: CreditLine[] }>(p, `/api/v1/indirect-resellers/credit?ids=${cedar}`);
    await order.getByText(`Credit left this month with Cedar Networks: ${money(line.items[0]?.available ?? 0)}`).waitFor();
    await order.getByText(/^Total: \$/).waitFor();
    await checkPage(provider);
    await p.keyboard.press('Escape');
  });
});
