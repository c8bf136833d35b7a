import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, checkPage, launchBrowser, newPerson, openPage, setUpMfa, signIn, switchLanguage, unique, type Watched } from './harness.ts';

interface Counted<T> {
  items: T[];
  nextCursor: string | null;
  count: { value: number; exact: boolean } | null;
}
interface CustomerItem {
  id: string;
  name: string;
  country: string;
}
interface UserItem {
  id: string;
  displayName: string;
  email: string;
}
interface EventItem {
  id: string;
  action: string;
  occurredAt: string;
}

/** A call to the API as the page's signed-in person (same origin, the session cookie). */
async function call<T>(page: Page, url: string, body?: unknown): Promise<T> {
  const answer = await page.evaluate(
    async ({ url, body }) => {
      const response = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, text: await response.text() };
    },
    { url, body },
  );
  if (answer.status >= 300) throw new Error(`${url}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as T;
}

/** The table shows exactly these rows, in this order (each row holds its `label`). */
async function expectRows<T>(page: Page, table: string, items: T[], label: (item: T) => string): Promise<void> {
  await expect
    .poll(
      async () => {
        const rows = (await page.getByRole('table', { name: table }).getByRole('row').allInnerTexts()).slice(1);
        return rows.length === items.length && items.every((item, n) => rows[n]?.includes(label(item)) === true);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

/** Clicks "Download CSV" and reads the file the browser saved. */
async function downloadCsv(page: Page, filename: string): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toBe(filename);
  return parse(readFileSync(await download.path(), 'utf8'), { columns: true }) as Record<string, string>[];
}

const words = ['Amber', 'Basalt', 'Cobalt', 'Dune', 'Ember', 'Flint', 'Garnet', 'Heath', 'Indigo', 'Jade', 'Kelp', 'Lumen', 'Maple', 'Nectar', 'Onyx'];
const more = ['Pebble', 'Quartz', 'Rowan', 'Slate', 'Tundra', 'Umber', 'Vale', 'Willow', 'Xenon', 'Yarrow', 'Zinc', 'Aspen', 'Birch Hollow', 'Cinder', 'Drift'];
const countries = ['US', 'DE', 'FR', 'GB', 'JP', 'BR'];

// The server-sorted lists of a partner of its own (30 imported customers, a few users, their audit
// events): sort both ways with aria-sort, search, page size and paging, the count line in both
// languages, and "Download CSV" of what the list shows, parsed and compared with the API.
describe('sortable, searched, counted and exported lists', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  let partner: Watched;
  const id = unique('quill');
  const names = [...words, ...more].map((w) => `${w} ${id}`);

  beforeAll(async () => {
    browser = await launchBrowser();
    const person = async () => {
      const context = await newPerson(browser);
      people.push(context);
      return openPage(context);
    };
    const operator = await person();
    await signIn(operator.page, 'operator@tierlink.example');
    const domain = `${id}.example`;
    const adminEmail = `admin@${domain}`;
    const password = `Quill pass ${id} 7#k`;
    await call(operator.page, '/api/v1/operator/partners', {
      organization: { name: `Quill Resale ${id}`, domain, country: 'US' },
      program: 'indirect_reseller',
      admin: { displayName: 'Quinn Admin', email: adminEmail, password },
    });
    await call(operator.page, '/api/v1/operator/reseller-relationships/import', {
      items: names.map((name, n) => ({
        partnerDomain: domain,
        customerName: name,
        customerDomain: `${name.toLowerCase().replaceAll(' ', '-')}.example`,
        customerCountry: countries[n % countries.length],
      })),
    });
    partner = await person();
    await signIn(partner.page, adminEmail, password);
    await setUpMfa(partner);
    for (const [displayName, email] of [
      ['Zara Young', `zara@${domain}`],
      ['Ben Adler', `ben@${domain}`],
      ['Cleo Marsh', `adams@${domain}`],
      ['Abe Stone', `stone@${domain}`],
    ]) {
      await call(partner.page, '/api/v1/users', { displayName, email, roles: [] });
    }
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });

  it('Customers: sorts by country both ways, searches, pages with 25 a page, counts, and downloads the CSV', async () => {
    const page = partner.page;
    await page.goto('/customers');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const byName = await call<Counted<CustomerItem>>(page, '/api/v1/customers?count=true');
    expect(byName.count).toEqual({ value: 30, exact: true });
    const nameHeader = page.getByRole('columnheader', { name: 'Customer' });
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await expectRows(page, 'Customers', byName.items, (c) => c.name);
    await page.getByText('1–30 of 30 customers').waitFor();
    await checkBothLanguages(partner);

    const country = page.getByRole('columnheader', { name: 'Country' });
    await country.getByRole('button').click();
    await expect.poll(() => country.getAttribute('aria-sort')).toBe('ascending');
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
    const ascending = await call<Counted<CustomerItem>>(page, '/api/v1/customers?sort=country&order=asc');
    expect(ascending.items.map((c) => c.country)).toEqual([...ascending.items.map((c) => c.country)].sort());
    await expectRows(page, 'Customers', ascending.items, (c) => c.name);
    await country.getByRole('button').click();
    await expect.poll(() => country.getAttribute('aria-sort')).toBe('descending');
    const descending = await call<Counted<CustomerItem>>(page, '/api/v1/customers?sort=country&order=desc');
    expect(descending.items.map((c) => c.id)).toEqual([...ascending.items].reverse().map((c) => c.id));
    await expectRows(page, 'Customers', descending.items, (c) => c.name);

    // 25 a page: the count line and both pages follow the server; back again.
    await page.getByLabel('Rows per page').selectOption('25');
    const first = await call<Counted<CustomerItem>>(page, '/api/v1/customers?sort=country&order=desc&limit=25');
    await expectRows(page, 'Customers', first.items, (c) => c.name);
    await page.getByText('1–25 of 30 customers').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    const second = await call<Counted<CustomerItem>>(page, `/api/v1/customers?sort=country&order=desc&limit=25&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.items).toHaveLength(5);
    await expectRows(page, 'Customers', second.items, (c) => c.name);
    await page.getByText('26–30 of 30 customers').waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await expectRows(page, 'Customers', first.items, (c) => c.name);

    // The CSV holds every customer in the order shown, not just the page.
    const all = await downloadCsv(page, 'customers.csv');
    expect(all.map((r) => r['customer_id'])).toEqual(descending.items.map((c) => c.id));
    expect(all.map((r) => r['country'])).toEqual(descending.items.map((c) => c.country));

    // Search by a name or domain prefix: "a" keeps Amber and Aspen, and the export follows it.
    await page.getByLabel('Search by name or domain').fill('A');
    const matched = await call<Counted<CustomerItem>>(page, '/api/v1/customers?search=A&sort=country&order=desc&limit=25&count=true');
    expect(matched.items.map((c) => c.name).sort()).toEqual([`Amber ${id}`, `Aspen ${id}`]);
    await expectRows(page, 'Customers', matched.items, (c) => c.name);
    await page.getByText('1–2 of 2 customers').waitFor();
    const searched = await downloadCsv(page, 'customers.csv');
    expect(searched.map((r) => r['name'])).toEqual(matched.items.map((c) => c.name));
    await checkPage(partner);
    // Russian plurals: "из 2 клиентов".
    await switchLanguage(page, 'ru');
    await page.getByText('1–2 из 2 клиентов').waitFor();
    await switchLanguage(page, 'en');
  });

  it('User management: sorts by email both ways, searches, counts and downloads the CSV', async () => {
    const page = partner.page;
    await page.goto('/settings/users');
    await page.getByRole('heading', { name: 'User management', level: 1 }).waitFor();
    await page.getByText('1–5 of 5 users').waitFor();
    const email = page.getByRole('columnheader', { name: 'Email' });
    await email.getByRole('button').click();
    await expect.poll(() => email.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await call<Counted<UserItem>>(page, '/api/v1/users?sort=email&order=asc');
    expect(ascending.items.map((u) => u.email)).toEqual([...ascending.items.map((u) => u.email)].sort());
    await expectRows(page, 'User management', ascending.items, (u) => u.email);
    await email.getByRole('button').click();
    await expect.poll(() => email.getAttribute('aria-sort')).toBe('descending');
    const descending = await call<Counted<UserItem>>(page, '/api/v1/users?sort=email&order=desc');
    await expectRows(page, 'User management', descending.items, (u) => u.email);
    const rows = await downloadCsv(page, 'users.csv');
    expect(rows.map((r) => r['email'])).toEqual(descending.items.map((u) => u.email));

    // "a" is a name (Abe Stone) or an email (adams@, admin@) prefix.
    await page.getByLabel('Search by name or email').fill('a');
    const matched = await call<Counted<UserItem>>(page, '/api/v1/users?search=a&sort=email&order=desc');
    expect(matched.items.map((u) => u.displayName).sort()).toEqual(['Abe Stone', 'Cleo Marsh', 'Quinn Admin']);
    await expectRows(page, 'User management', matched.items, (u) => u.email);
    await page.getByText('1–3 of 3 users').waitFor();
    expect((await downloadCsv(page, 'users.csv')).map((r) => r['email'])).toEqual(matched.items.map((u) => u.email));
    await checkBothLanguages(partner);
  });

  it('Audit log: filters by action, oldest first by the When header, counts, and downloads the CSV of what it shows', async () => {
    const page = partner.page;
    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const when = page.getByRole('columnheader', { name: 'When' });
    await expect.poll(() => when.getAttribute('aria-sort')).toBe('descending');
    await page.getByLabel('Action').selectOption({ label: 'User added' });
    const newest = await call<Counted<EventItem>>(page, '/api/v1/audit-events?action=user.created&count=true');
    // The four users added here, and the first admin if its creation is the partner's event too.
    const n = newest.items.length;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(newest.count).toEqual({ value: n, exact: true });
    await page.getByText(`1–${n} of ${n} events`).waitFor();
    await when.getByRole('button').click();
    await expect.poll(() => when.getAttribute('aria-sort')).toBe('ascending');
    const oldest = await call<Counted<EventItem>>(page, '/api/v1/audit-events?action=user.created&order=asc');
    expect(oldest.items.map((e) => e.id)).toEqual([...newest.items].reverse().map((e) => e.id));
    const rows = await downloadCsv(page, 'audit-log.csv');
    expect(rows.map((r) => r['occurred_at'])).toEqual(oldest.items.map((e) => e.occurredAt));
    expect(rows.every((r) => r['action'] === 'user.created')).toBe(true);
    await page.getByLabel('Rows per page').selectOption('25');
    await page.getByText(`1–${n} of ${n} events`).waitFor();
    await checkBothLanguages(partner);
    await switchLanguage(page, 'ru');
    await page.getByText(`1–${n} из ${n} событий`).waitFor();
    await switchLanguage(page, 'en');
  });
});

// The audit log's on-behalf-of filter, on the demo data: a reseller picks one of its customers by
// the start of its name (the server searches), a customer narrows to what its partners did in it.
describe('the audit log on behalf of a customer', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });
  const person = async () => {
    const context = await newPerson(browser);
    people.push(context);
    return openPage(context);
  };

  it('a partner filters by the customer it acted for; the customer by its partners\' actions', async () => {
    const reseller = await person();
    const page = reseller.page;
    await signIn(page, 'admin@alder-it.example');
    const [customer] = (await call<Counted<CustomerItem>>(page, '/api/v1/customers?search=Delta%20Dental')).items;
    if (customer === undefined) throw new Error('the demo reseller has no Delta Dental Group');
    const forCustomer = await call<Counted<EventItem>>(page, `/api/v1/audit-events?onBehalfOf=${customer.id}&count=true&limit=100`);
    const n = forCustomer.count?.value ?? 0;
    // The admin access the invitation's acceptance gave the reseller was granted on the customer's behalf.
    expect(n).toBeGreaterThanOrEqual(1);
    const all = await call<Counted<EventItem>>(page, '/api/v1/audit-events?count=true');
    expect(all.count?.value ?? 0).toBeGreaterThan(n);

    await page.goto('/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const picker = page.getByRole('combobox', { name: 'On behalf of customer' });
    // Typed as a person types (the list opens on input and the server searches what was typed).
    await picker.click();
    await picker.pressSequentially('Delta');
    await page.getByRole('listbox').getByRole('option', { name: 'Delta Dental Group · delta-dental.example' }).click();
    await page.getByText(`1–${n} of ${n} ${n === 1 ? 'event' : 'events'}`).waitFor();
    await expectRows(page, 'Audit log', forCustomer.items, (e) => new Date(e.occurredAt).getFullYear().toString());
    await checkPage(reseller);
    // Clearing the filters empties the picker too.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => picker.inputValue()).toBe('');

    const admin = await person();
    await signIn(admin.page, 'admin@delta-dental.example');
    const me = await call<{ organization: { id: string } }>(admin.page, '/api/v1/me');
    const byPartners = await call<Counted<EventItem>>(admin.page, `/api/v1/audit-events?onBehalfOf=${me.organization.id}&count=true&limit=100`);
    const m = byPartners.count?.value ?? 0;
    expect(m).toBeGreaterThanOrEqual(1);
    await admin.page.goto('/audit');
    await admin.page.getByRole('switch', { name: 'Only what partners did in our organization' }).check();
    await admin.page.getByText(`1–${m} of ${m} ${m === 1 ? 'event' : 'events'}`).waitFor();
    await checkBothLanguages(admin);
  });
});
