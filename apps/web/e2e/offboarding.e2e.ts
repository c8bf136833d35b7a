import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, launchBrowser, newPerson, openPage, signIn, toast, type Watched } from './harness.ts';

/** Demo data no other browser test uses: Cedar Networks' own customer Gale Bakery (no provider). */
const resellerEmail = 'admin@cedar-networks.example';
const customerName = 'Gale Bakery';

describe('offboarding: preview the plan, choose, confirm', () => {
  let browser: Browser;
  let reseller: Watched;

  beforeAll(async () => {
    browser = await launchBrowser();
    reseller = await openPage(await newPerson(browser));
    await signIn(reseller.page, resellerEmail);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('a partner previews what ending a customer leaves behind and offboards it in one step', { timeout: 120_000 }, async () => {
    const page = reseller.page;
    await page.goto('/customers');
    await page.getByRole('link', { name: customerName }).click();
    await page.getByRole('heading', { name: customerName, level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Offboard…' }).click();
    await page.waitForURL((url) => /^\/offboarding\/customers\/[0-9a-f-]{36}$/.test(url.pathname));
    const customerPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: `Offboard the customer ${customerName}`, level: 1 }).waitFor();

    const items = page.getByRole('table', { name: 'What the plan names' });
    await items.getByRole('row').filter({ hasText: `Reseller relationship with ${customerName}` }).waitFor();
    // The relationship itself only ends; the delegated admin access ends by default and may be kept.
    expect(await items.getByRole('combobox', { name: `Action for Reseller relationship with ${customerName}` }).isDisabled()).toBe(true);
    const access = items.getByRole('combobox', { name: /^Action for Cedar Networks as delegated admin/ });
    expect(await access.inputValue()).toBe('end');
    await checkBothLanguages(reseller, 'offboarding');

    // Nothing is sent before the attestation and a reason.
    const submit = page.getByRole('button', { name: 'Offboard', exact: true });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /in good faith/ }).check();
    await page.getByRole('textbox', { name: /^Reason/ }).fill('The customer moved to another partner.');
    await submit.click();
    await toast(page, `${customerName} is offboarded.`);
    await page.waitForURL((url) => url.pathname === '/customers');
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    // The list refetches on arrival (it may show the cached page for a moment).
    await expect.poll(() => page.getByRole('link', { name: customerName }).count()).toBe(0);

    // The plan is gone with the relationship.
    await page.goto(customerPath);
    await page.getByText('There is no such partner or customer, or you no longer have a relationship with it.').waitFor();
  });
});
