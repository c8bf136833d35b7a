import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, checkPage, invitationLinkFromMailbox, launchBrowser, newPerson, openPage, settle, signIn, switchLanguage, unique, type Watched } from './harness.ts';

// Every main page, as the demo user who uses it: no console errors, axe clean, and a screenshot
// in English and in Russian (apps/web/screenshots/).
describe('main pages', () => {
  let browser: Browser;
  const as = async (email: string): Promise<Watched> => {
    const w = await openPage(await newPerson(browser));
    await signIn(w.page, email);
    return w;
  };
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('reseller: Indirect providers, View customers, Customers, a customer (subscriptions, orders, placing one), Catalog, the draft email, Invitations', async () => {
    const w = await as('admin@cedar-networks.example');
    const page = w.page;
    // "/" is the reseller's home (home.e2e.ts); its providers are one link away.
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('link', { name: 'Indirect providers', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'Bluepeak Supply' }).waitFor();
    await checkBothLanguages(w, 'indirect-providers');

    await page.getByRole('row').filter({ hasText: 'Meridian Distribution' }).getByRole('link', { name: 'View customers' }).click();
    await page.getByRole('row').filter({ hasText: 'Juniper Architects' }).waitFor();
    await checkPage(w);

    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('button', { name: 'Details of Fjord Logistics' }).click();
    await page.getByText('Cedar Networks, by invitation').waitFor();
    // The expanded row also lists the customer's subscriptions with the licenses assigned.
    await page.getByRole('listitem').filter({ hasText: 'Nimbus Workplace' }).first().waitFor();
    // Users and licenses through the reseller's delegated admin grant (the demo admin is also an admin agent).
    // A user without admin roles to remove, added through the same grant (the API, as a tool would).
    const customerPath = await page.getByRole('link', { name: 'Fjord Logistics', exact: true }).getAttribute('href');
    const leaver = unique('leaver');
    const added = await page.evaluate(
      async ([path, name]) =>
        (await fetch(`/api/v1${path ?? ''}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayName: name, email: `${name}@fjord-logistics.example` }) })).status,
      [customerPath, leaver] as const,
    );
    expect(added).toBe(201);
    await page.getByRole('button', { name: 'Show users and licenses' }).click();
    const admin = page.getByRole('listitem').filter({ hasText: 'Fjord Logistics admin' }).filter({ hasText: 'No licenses' });
    await admin.waitFor();
    // An admin is not removed through delegated admin: the button is there, disabled.
    expect(await admin.getByRole('button', { name: /^Remove/ }).getAttribute('aria-disabled')).toBe('true');
    await page.getByRole('button', { name: `Remove ${leaver}` }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText(`${leaver} was removed.`).first().waitFor();
    await page.getByRole('listitem').filter({ hasText: leaver }).waitFor({ state: 'detached' });
    await checkBothLanguages(w, 'customers');

    await page.getByRole('link', { name: 'Fjord Logistics' }).click();
    await page.getByRole('heading', { name: 'Fjord Logistics', level: 1 }).waitFor();
    await page.getByRole('table', { name: 'Subscriptions' }).getByRole('row').filter({ hasText: 'Nimbus Workplace Standard' }).waitFor();
    await page.getByRole('table', { name: 'Orders' }).getByRole('row').nth(1).waitFor();
    await checkBothLanguages(w, 'customer');
    // The order dialog: the catalog's SKUs, and the provider to order through.
    await page.getByRole('button', { name: 'Place an order' }).click();
    await page.getByRole('dialog').getByLabel('Through indirect provider').waitFor();
    await expect.poll(() => page.getByRole('dialog').getByLabel('Through indirect provider').inputValue()).not.toBe('');
    await checkPage(w);
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { name: 'Sentinel Endpoint Defense', level: 2 }).waitFor();
    await checkBothLanguages(w);

    await page.goto('/customers/request');
    await page.getByLabel("Customer admin's email").fill('it@kestrel-foods.example');
    await page.getByRole('button', { name: 'Create draft email' }).click();
    await page.getByLabel('Personal link').waitFor();
    await checkBothLanguages(w, 'draft-email');

    await page.goto('/invitations');
    await page.getByRole('row').filter({ hasText: 'it@kestrel-foods.example' }).waitFor();
    // Sorted by the server: the header says how (aria-sort), a second click turns it around.
    const invitee = page.getByRole('columnheader', { name: 'Invitee' });
    await invitee.getByRole('button').click();
    await expect.poll(() => invitee.getAttribute('aria-sort')).toBe('ascending');
    const emails = async () => (await page.getByRole('row').allInnerTexts()).slice(1).map((r) => r.split(/\s/)[0] ?? '');
    await expect.poll(async () => {
      const shown = await emails();
      return shown.length > 1 && shown.join() === [...shown].sort().join();
    }).toBe(true);
    await invitee.getByRole('button').click();
    await expect.poll(() => invitee.getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByRole('columnheader', { name: 'Sent' }).getAttribute('aria-sort')).toBe('none');
    await page.getByLabel('Search by email').fill('it@kestrel');
    await expect.poll(async () => (await emails()).every((e) => e.startsWith('it@kestrel'))).toBe(true);
    await page.getByLabel('Search by email').fill('');
    await page.getByLabel('Rows per page').selectOption('25');
    await checkBothLanguages(w);
  });

  it('provider: Indirect resellers (with credit), Customers, Audit log, API keys', async () => {
    const w = await as('admin@bluepeak-supply.example');
    await w.page.goto('/indirect-resellers');
    // The credit column comes with the page: one request for every row's credit line (counted
    // over a reload, once the first load has settled).
    await settle(w.page);
    const creditCalls: string[] = [];
    w.page.on('request', (r) => {
      if (r.url().includes('/credit')) creditCalls.push(r.url());
    });
    await w.page.reload();
    await w.page.getByRole('row').filter({ hasText: 'Birch Systems' }).getByText('Limit $50,000.00').waitFor();
    await w.page.getByRole('row').filter({ hasText: 'Cedar Networks' }).getByText('Limit $50,000.00').waitFor();
    await settle(w.page);
    expect(creditCalls).toHaveLength(1);
    expect(await w.page.getByText('Loading…').count()).toBe(0);
    await checkBothLanguages(w, 'indirect-resellers');
    await w.page.getByRole('link', { name: 'Customers', exact: true }).click();
    await w.page.getByRole('row').filter({ hasText: 'Harbor Clinic' }).waitFor();
    await checkPage(w);
    await w.page.getByRole('link', { name: 'Audit log' }).click();
    await w.page.getByRole('row').nth(1).waitFor();
    // The navigation column's colour reaches the bottom of a long page: once the page is longer
    // than the window (its rows may still be arriving after the first one shows).
    await w.page.waitForFunction(() => document.documentElement.scrollHeight > window.innerHeight + 100);
    await w.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const colors = await w.page.evaluate(() => {
      const colorAt = (x: number, y: number) => {
        for (let el = document.elementFromPoint(x, y); el !== null; el = el.parentElement) {
          const color = getComputedStyle(el).backgroundColor;
          if (color !== 'rgba(0, 0, 0, 0)') return color;
        }
        return '';
      };
      return { top: colorAt(5, 200), bottom: colorAt(5, window.innerHeight - 5), scrolled: window.scrollY > 0 };
    });
    expect(colors.scrolled).toBe(true);
    expect(colors.bottom).toBe(colors.top);
    await w.page.evaluate(() => window.scrollTo(0, 0));
    // Actions and objects read as words, in both languages; no raw codes.
    const codes = /\b(invitation|delegated_admin|partnership|reseller_relationship|credit_terms|order|subscription|user)\.[a-z_]+\b/;
    const table = w.page.getByRole('table', { name: 'Audit log' });
    await table.getByText('Credit limit set').first().waitFor();
    expect(await table.innerText()).not.toMatch(codes);
    // Filtered on the server; the CSV link carries the same filter.
    await w.page.getByLabel('Action').selectOption({ label: 'Credit limit set' });
    await expect.poll(async () => new Set((await table.getByRole('row').allInnerTexts()).slice(1).map((r) => r.includes('Credit limit set'))).size).toBe(1);
    const csvUrl = await w.page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(csvUrl).toContain('action=credit_terms.set');
    const csv = await w.page.evaluate(async (url) => (await fetch(url ?? '')).text(), csvUrl);
    expect(csv.split('\n')[0]).toMatch(/^occurred_at,action,/);
    expect(csv.trimEnd().split('\n').slice(1).every((line) => line.split(',')[1] === 'credit_terms.set')).toBe(true);
    await w.page.getByRole('button', { name: 'Clear filters' }).click();
    await w.page.getByRole('button', { name: /^Details of / }).first().click();
    await checkBothLanguages(w);
    // The expanded details are the event as recorded (codes and all); the table around them is read.
    await w.page.locator('[aria-expanded="true"]').first().click();
    await switchLanguage(w.page, 'ru');
    const russian = w.page.getByRole('table', { name: 'Журнал аудита' });
    await russian.getByText('Установлен кредитный лимит').first().waitFor();
    expect(await russian.innerText()).not.toMatch(codes);
    // The customers page's main command reads in a few words in Russian too.
    await w.page.getByRole('link', { name: 'Клиенты', exact: true }).click();
    const request = w.page.getByRole('link', { name: 'Запросить отношения посредника' }).or(w.page.getByRole('button', { name: 'Запросить отношения посредника' }));
    expect((await request.first().innerText()).trim().length).toBeLessThanOrEqual(32);
    await switchLanguage(w.page, 'en');
    await w.page.getByRole('link', { name: 'Audit log' }).click();
    await w.page.getByRole('link', { name: 'API keys' }).click();
    await w.page.getByText('No API keys yet.').waitFor();
    await checkBothLanguages(w, 'api-keys');
  });

  it('customer admin: Partners, Subscriptions', async () => {
    const w = await as('admin@delta-dental.example');
    await w.page.getByRole('link', { name: 'Partners', exact: true }).click();
    await w.page.getByRole('heading', { name: 'Partners', level: 1 }).waitFor();
    await w.page.getByRole('row').filter({ hasText: 'Alder IT Services' }).waitFor();
    await checkBothLanguages(w, 'partners');
    await w.page.getByRole('link', { name: 'Subscriptions' }).click();
    await w.page.getByRole('row').filter({ hasText: 'Nimbus Workplace Standard' }).filter({ hasText: 'Reseller: Alder IT Services' }).waitFor();
    await checkBothLanguages(w, 'subscriptions');
  });

  it('operator: Partners, Import relationships (with a row error, then counts), Catalog, Mailbox', async () => {
    const w = await as('operator@tierlink.example');
    const page = w.page;
    await page.getByRole('link', { name: 'Partners', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'Cedar Networks' }).waitFor();
    await checkBothLanguages(w);

    await page.getByRole('link', { name: 'Import relationships' }).click();
    const csv = page.getByLabel('Or paste the CSV');
    const header = 'partner_domain,customer_name,customer_domain,customer_country';
    w.expect(/status of 400/);
    await csv.fill(`${header}\nalder-it.example,Kite Travel,kite-travel.example,US\nno-such-partner.example,Lumen Labs,lumen-labs.example,US`);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Line 3 of the CSV was refused; nothing was imported.').waitFor();
    await csv.fill(`${header}\nalder-it.example,Kite Travel,kite-travel.example,US\nbirch-systems.example,Lumen Labs,lumen-labs.example,US`);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 relationships created').waitFor();
    await page.getByText('2 new customer organizations').waitFor();
    await checkBothLanguages(w, 'operator-import');

    await page.getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { name: 'Nimbus Workplace', level: 2 }).waitFor();
    await checkBothLanguages(w, 'catalog');

    await page.getByRole('link', { name: 'Mailbox' }).click();
    await page.getByLabel('Recipient').fill('admin@iris-studio.example');
    await page.getByRole('listitem').filter({ hasText: 'To admin@iris-studio.example' }).first().waitFor();
    await checkBothLanguages(w, 'mailbox');
  });

  it('works from the keyboard: skip link, expanding a customer, the language menu', async () => {
    const w = await as('admin@cedar-networks.example');
    const page = w.page;
    await page.goto('/customers');
    await page.getByRole('row').filter({ hasText: 'Gale Bakery' }).waitFor();
    // The first Tab reaches the skip link; Enter moves to the page content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.location.hash)).toBe('#main');
    const toggle = page.getByRole('button', { name: 'Details of Gale Bakery' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByText('Cedar Networks, by invitation').waitFor();
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const language = page.getByRole('button', { name: /^Language:/ });
    await language.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitemradio', { name: 'Русский' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.getByRole('heading', { name: 'Клиенты', level: 1 }).waitFor();
    // Navigating inside the portal puts focus on the new page's title.
    await page.getByRole('link', { name: 'Журнал аудита' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await checkPage(w);
  });

  it('partner admin: Webhooks, an endpoint and its delivery log', async () => {
    const w = await as('admin@alder-it.example');
    const page = w.page;
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Endpoint URL').fill('https://hooks.alder-it.example/tierlink/events');
    await dialog.getByLabel('Description').fill('Order sync');
    // Only these two: the other browser tests change Alder's users, which need not go anywhere.
    await dialog.getByRole('radio', { name: 'Only the events I choose' }).check();
    await dialog.getByRole('checkbox', { name: 'order.completed' }).check();
    await dialog.getByRole('checkbox', { name: 'subscription.created' }).check();
    await checkPage(w);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByLabel('Signing secret').waitFor();
    await checkPage(w);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('row').filter({ hasText: 'Order sync' }).waitFor();
    await checkBothLanguages(w, 'webhooks');
    await page.getByRole('link', { name: /^Delivery log of / }).click();
    await page.getByRole('button', { name: 'Send test event' }).click();
    // The .example name does not resolve: the attempt is logged without an answer.
    const log = page.getByRole('table', { name: 'Delivery log' });
    await log.getByRole('button', { name: /: webhook\.test, / }).click();
    await log.getByText('No answer').first().waitFor({ timeout: 30_000 });
    await checkBothLanguages(w, 'webhook-endpoint');
  });

  it('invitation landing page: what the invitee sees before deciding', async () => {
    const operator = await as('operator@tierlink.example');
    const link = await invitationLinkFromMailbox(operator.page, 'admin@iris-studio.example');
    const w = await openPage(await newPerson(browser));
    await w.page.goto(link);
    await w.page.getByRole('heading', { name: 'Alder IT Services and Meridian Distribution ask to become your resellers' }).waitFor();
    await checkBothLanguages(w, 'invitation');
  });
});
