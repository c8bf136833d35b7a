import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, launchBrowser, newPerson, openPage, signIn, type Watched } from './harness.ts';

// "/" is each kind's home dashboard: tiles that lead to their lists, charts (lazily loaded, SVG)
// each with its table; axe clean and a screenshot in English and Russian per kind.
describe('home dashboards', () => {
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

  /** The home with its tiles and at least one chart drawn as SVG. */
  async function home(page: Page): Promise<void> {
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByTestId('home-tile').first().waitFor();
    await page.getByTestId('home-chart').locator('svg').first().waitFor();
  }

  /** Screenshots show the tiles and the first charts: the page header scrolls away. */
  async function toTiles(page: Page): Promise<void> {
    await page.evaluate(() => {
      document.querySelector('[data-testid="home-tile"]')?.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -24);
    });
  }

  /** A chart's text alternative: the switch shows its table, with the same figures. */
  async function showTable(page: Page, chart: string, row: string): Promise<void> {
    const card = page.getByRole('group', { name: chart });
    await card.getByRole('switch', { name: 'Show as table' }).check();
    await card.getByRole('table', { name: chart }).getByRole('row').filter({ hasText: row }).first().waitFor();
    await card.getByRole('switch', { name: 'Show as table' }).uncheck();
    await card.getByTestId('home-chart').locator('svg').first().waitFor();
  }

  it('provider: resellers, shared customers, orders by month, credit used against the limit', async () => {
    const w = await as('admin@meridian-distribution.example');
    const page = w.page;
    await home(page);
    await page.getByTestId('home-tile').filter({ hasText: 'Indirect resellers' }).waitFor();
    await page.getByRole('group', { name: 'Credit used this month against the limit' }).waitFor();
    await showTable(page, 'Orders by month', 'Orders');
    // Twelve months, oldest first, the current one last.
    const months = page.getByRole('table', { name: 'Orders by month' }).getByRole('row');
    expect(await months.count()).toBe(13);
    await toTiles(page);
    await checkBothLanguages(w, 'home-provider');
    await page.getByTestId('home-tile').filter({ hasText: 'Indirect resellers' }).click();
    await page.waitForURL((url) => url.pathname === '/indirect-resellers');
    await page.getByRole('heading', { name: 'Indirect resellers', level: 1 }).waitFor();
  });

  it('reseller: customers, subscriptions by product, orders by month, credit per provider', async () => {
    const w = await as('admin@cedar-networks.example');
    const page = w.page;
    await home(page);
    await showTable(page, 'Active subscriptions by product', 'Nimbus Workplace');
    await page.getByRole('group', { name: 'Credit used this month against the limit' }).getByRole('table').getByRole('row').filter({ hasText: 'Bluepeak Supply' }).waitFor();
    await toTiles(page);
    await checkBothLanguages(w, 'home-reseller');
    await page.getByRole('link', { name: /^\d+ Customers$/ }).click();
    await page.waitForURL((url) => url.pathname === '/customers');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
  });

  it('customer: its partners and what each may do, partners\' recent actions', async () => {
    const w = await as('admin@delta-dental.example');
    const page = w.page;
    await home(page);
    const partners = page.getByRole('table', { name: 'Your partners and what each may do' });
    await partners.getByRole('row').filter({ hasText: 'Alder IT Services' }).waitFor();
    await partners.getByRole('row').filter({ hasText: 'Meridian Distribution' }).waitFor();
    await page.getByRole('table', { name: 'Recent actions by partners' }).getByRole('row').filter({ hasText: 'Order completed' }).first().waitFor();
    await toTiles(page);
    await checkBothLanguages(w, 'home-customer');
    await page.getByRole('link', { name: 'Open the audit log' }).first().click();
    await page.waitForURL((url) => url.pathname === '/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  });

  it('operator: the enrollment queue, partners by program and country, program-wide orders', async () => {
    const w = await as('operator@tierlink.example');
    const page = w.page;
    await home(page);
    await showTable(page, 'Partners by program and country', 'United States');
    await toTiles(page);
    await checkBothLanguages(w, 'home-operator');
    await page.getByRole('link', { name: /Enrollments to review$/ }).click();
    await page.waitForURL((url) => url.pathname === '/operator/enrollments');
  });
});
