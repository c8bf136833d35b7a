import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, checkPage, launchBrowser, newPerson, openPage, signIn, toast, unique, type Watched } from './harness.ts';

const providerEmail = 'admin@meridian-distribution.example';
const resellerEmail = 'admin@cedar-networks.example';
const operatorEmail = 'operator@tierlink.example';
/** Demo data: a customer Cedar Networks (reseller) shares with Meridian Distribution (provider). */
const customerName = 'Juniper Architects';
const sku = 'Ledgerline Business';

const subscriptionRow = (page: Page, name: string) => page.getByRole('table', { name: 'Subscriptions' }).getByRole('row').filter({ hasText: name });
const orderRows = (page: Page, name: string) => page.getByRole('table', { name: 'Orders' }).getByRole('row').filter({ hasText: name });

async function openCustomer(page: Page, name: string): Promise<void> {
  await page.goto('/customers');
  await page.getByLabel('Search by name').fill(name);
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.getByRole('table', { name: 'Subscriptions' }).waitFor();
}

/** Change quantity → type → save, from the subscription's row. */
async function typeQuantity(page: Page, name: string, quantity: number): Promise<void> {
  await subscriptionRow(page, name).getByRole('button', { name: 'Change quantity' }).click();
  await page.getByRole('dialog').getByRole('spinbutton', { name: 'Quantity', exact: true }).fill(String(quantity));
}

// (6) Commerce in the portal: the provider orders for a customer it shares with a reseller, naming
// the reseller of record; the reseller changes the quantity (meeting a concurrent change) and
// suspends the subscription; both see the result. Then credit terms, the catalog and API keys.
describe('commerce', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  let provider: Watched;
  let reseller: Watched;

  const person = async (email: string): Promise<Watched> => {
    const context = await newPerson(browser);
    people.push(context);
    const w = await openPage(context);
    await signIn(w.page, email);
    return w;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    provider = await person(providerEmail);
    reseller = await person(resellerEmail);
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });

  it('(6) the provider places an order for a shared customer; a lost answer is retried with the same Idempotency-Key and ordered once', async () => {
    const page = provider.page;
    await openCustomer(page, customerName);
    await subscriptionRow(page, 'Nimbus Workplace Premium').waitFor();
    expect(await subscriptionRow(page, sku).count()).toBe(0);

    await page.getByRole('button', { name: 'Place an order' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Product (SKU)').selectOption({ label: sku });
    await expect.poll(() => dialog.getByLabel('Billing cycle').inputValue()).toBe('monthly');
    await dialog.getByLabel('Reseller of record').selectOption({ label: 'Cedar Networks' });
    // Ledgerline is sold up to 50 seats: the API's answer sits under the quantity.
    await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).fill('60');
    provider.expect(/status of 422/);
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.getByText('The quantity is outside what this product allows.').waitFor();

    // The answer to the next submit is lost on the way back (the server did order); submitting
    // again sends the same key, and the server replays the order instead of placing another.
    const keys: string[] = [];
    await page.route('**/api/v1/customers/*/orders', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (keys.length > 1) return route.continue();
      await route.fetch();
      await route.abort('failed');
    });
    await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).fill('4');
    provider.expect(/ERR_FAILED/);
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await dialog.getByText('Tierlink could not be reached.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Place order' }).click();
    await toast(page, 'The order was placed: $180.00.');
    await page.unrouteAll();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);

    await subscriptionRow(page, sku).filter({ hasText: '4 seats' }).filter({ hasText: 'Reseller: Cedar Networks' }).waitFor();
    await expect.poll(() => orderRows(page, sku).count()).toBe(1);
    await orderRows(page, sku).filter({ hasText: '$180.00' }).filter({ hasText: 'Completed' }).waitFor();
    await checkPage(provider);
  });

  it('(6) the reseller changes the quantity, meets a concurrent change (412, reloaded), saves again and suspends; both see the result', async () => {
    const page = reseller.page;
    await openCustomer(page, customerName);
    await subscriptionRow(page, sku).filter({ hasText: '4 seats' }).waitFor();
    await orderRows(page, sku).filter({ hasText: 'Provider: Meridian Distribution' }).waitFor();
    await checkPage(reseller);

    // The reseller opens "Change quantity"; meanwhile the provider sets 5 seats.
    await typeQuantity(page, sku, 6);
    await typeQuantity(provider.page, sku, 5);
    await provider.page.getByRole('dialog').getByRole('button', { name: 'Save quantity' }).click();
    await toast(provider.page, `${sku} now has 5 seats.`);

    const dialog = page.getByRole('dialog');
    reseller.expect(/status of 412/);
    await dialog.getByRole('button', { name: 'Save quantity' }).click();
    await dialog.getByText('Someone else changed this subscription').waitFor();
    await dialog.getByText('It was reloaded: it now has 5 seats and is Active.', { exact: false }).waitFor();
    expect(await dialog.getByRole('spinbutton', { name: 'Quantity', exact: true }).inputValue()).toBe('6');
    await dialog.getByRole('button', { name: 'Save quantity' }).click();
    await toast(page, `${sku} now has 6 seats.`);
    await subscriptionRow(page, sku).filter({ hasText: '6 seats' }).waitFor();

    await subscriptionRow(page, sku).getByRole('button', { name: 'Suspend' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Suspend' }).click();
    await toast(page, `${sku} is suspended.`);
    await subscriptionRow(page, sku).filter({ hasText: 'Suspended' }).waitFor();
    await subscriptionRow(page, sku).getByRole('button', { name: 'Reactivate' }).waitFor();
    await checkPage(reseller);

    // The provider sees the reseller's changes after a reload.
    await provider.page.reload();
    await subscriptionRow(provider.page, sku).filter({ hasText: '6 seats' }).filter({ hasText: 'Suspended' }).waitFor();
    await checkPage(provider);

    // The customers list: the row's down arrow shows the subscription too.
    await page.goto('/customers');
    await page.getByLabel('Search by name').fill(customerName);
    await page.getByRole('button', { name: `Details of ${customerName}` }).click();
    await page.getByRole('listitem').filter({ hasText: sku }).filter({ hasText: '6 seats' }).filter({ hasText: 'Suspended' }).waitFor();
    await checkPage(reseller);
  });

  it('the provider sets the reseller\'s credit limit; the reseller reads it', async () => {
    const page = provider.page;
    await page.goto('/indirect-resellers');
    const cedar = page.getByRole('row').filter({ hasText: 'Cedar Networks' });
    await cedar.getByText('Limit $50,000.00').waitFor();
    await cedar.getByRole('button', { name: 'Set credit limit for Cedar Networks' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Limit per month').inputValue()).toBe('50000.00');
    await dialog.getByLabel('Limit per month').fill('lots');
    await dialog.getByRole('button', { name: 'Save limit' }).click();
    await dialog.getByText('Enter an amount such as 12.50.').waitFor();
    await dialog.getByLabel('Limit per month').fill('60000');
    await dialog.getByRole('button', { name: 'Save limit' }).click();
    await toast(page, 'The credit limit of Cedar Networks is $60,000.00.');
    await cedar.getByText('Limit $60,000.00').waitFor();
    await checkPage(provider);

    await reseller.page.goto('/indirect-providers');
    await reseller.page.getByRole('row').filter({ hasText: 'Meridian Distribution' }).getByText('Limit $60,000.00').waitFor();
    await checkPage(reseller);
  });

  it('the operator creates a product (problems at their fields), changes a SKU\'s price and deletes the product', async () => {
    const operator = await person(operatorEmail);
    const page = operator.page;
    const name = `Atlas Backup ${unique('p')}`;
    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { name: 'Nimbus Workplace', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Create product' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Product name').fill(name);
    await dialog.getByLabel('SKU name').fill(`${name} Basic`);
    await dialog.getByLabel('Monthly price (USD)').fill('cheap');
    await dialog.getByLabel('Minimum quantity').fill('10');
    await dialog.getByLabel('Maximum quantity').fill('5');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('Enter an amount such as 12.50.').waitFor();
    await dialog.getByLabel('Monthly price (USD)').fill('3.50');
    operator.expect(/status of 400/);
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('maxQuantity must be at least minQuantity').waitFor();
    await dialog.getByLabel('Maximum quantity').fill('100');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await toast(page, `${name} was added to the catalog.`);
    const product = page.getByRole('region', { name });
    await product.getByRole('row').filter({ hasText: '$3.50' }).filter({ hasText: 'Not offered' }).waitFor();
    await checkPage(operator);

    await product.getByRole('button', { name: `Edit ${name} Basic` }).click();
    await dialog.getByLabel('Annual price (USD)').fill('36');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await toast(page, `${name} Basic was updated.`);
    await product.getByRole('row').filter({ hasText: '$3.50' }).filter({ hasText: '$36.00' }).waitFor();

    await product.getByRole('button', { name: 'Delete product' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete product' }).click();
    await toast(page, `${name} was deleted.`);
    await expect.poll(() => page.getByRole('region', { name }).count()).toBe(0);
    await checkPage(operator);
  });

  it('a global admin creates an API key (shown once, copied), uses it, and revokes it', async () => {
    const page = provider.page;
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Billing export');
    await dialog.getByRole('checkbox', { name: 'Billing admin' }).check();
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await dialog.getByText('API key Billing export was created').waitFor();
    const secret = await dialog.getByLabel('API key').inputValue();
    expect(secret).toMatch(/^tl_/);
    await dialog.getByRole('button', { name: 'Copy key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await checkPage(provider);
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Billing export' });
    await row.filter({ hasText: 'Active' }).filter({ hasText: secret.slice(0, 10) }).waitFor();

    const me = () => fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect((await me()).status).toBe(200);
    await row.getByRole('button', { name: 'Revoke Billing export' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await toast(page, 'The API key Billing export was revoked.');
    await row.filter({ hasText: 'Revoked' }).waitFor();
    expect((await me()).status).toBe(401);
    await checkPage(provider);
  });
});
