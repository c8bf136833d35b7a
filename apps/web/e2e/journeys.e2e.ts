import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, demoPassword, invitationLinkFromMailbox, launchBrowser, newPerson, openPage, setUpMfa, signIn, toast, unique, type Watched } from './harness.ts';

const operatorEmail = 'operator@tierlink.example';
const providerEmail = 'admin@meridian-distribution.example';
const providerName = 'Meridian Distribution';

const row = (page: Page, name: string) => page.getByRole('row').filter({ hasText: name });

// The seed's workflows end to end, through the portal and the embedded mailbox, each actor in a
// browser context of its own. Later steps build on earlier ones.
describe('journeys', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  const id = unique('oak');
  const reseller = { name: `Oak Systems ${id}`, domain: `${id}.example`, email: `admin@${id}.example` };
  const customer = { name: `Newco ${id}`, domain: `newco-${id}.example`, email: `admin@newco-${id}.example` };
  let operator: Watched;
  let provider: Watched;
  let resellerPage: Watched;
  let customerPage: Watched;

  const person = async (email?: string): Promise<Watched> => {
    const context = await newPerson(browser);
    people.push(context);
    const w = await openPage(context);
    if (email !== undefined) await signIn(w.page, email);
    return w;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    operator = await person(operatorEmail);
    provider = await person(providerEmail);
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });

  it('the operator onboards a fresh indirect reseller', async () => {
    const page = operator.page;
    await page.goto('/operator/partners');
    await page.getByRole('button', { name: 'Onboard a partner' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Organization name').fill(reseller.name);
    await dialog.getByLabel('Primary domain').fill(reseller.domain);
    await dialog.getByLabel('Country or region').selectOption('US');
    await dialog.getByRole('radio', { name: 'Indirect reseller' }).check();
    await dialog.getByLabel('Full name').fill('Olivia Oak');
    await dialog.getByLabel('Email').fill(reseller.email);
    await dialog.getByLabel('Password').fill(demoPassword);
    await dialog.getByRole('button', { name: 'Onboard' }).click();
    await toast(page, `${reseller.name} is onboarded`);
    // Notices sit at the bottom end, clear of the user menu at the top.
    const notice = await page.locator('.fui-Toast').first().boundingBox();
    const menu = await page.locator('header').getByRole('button').last().boundingBox();
    expect(notice?.y ?? 0).toBeGreaterThan(350);
    if (menu !== null) expect((notice?.y ?? 0) > menu.y + menu.height).toBe(true);
    await page.getByLabel('Search by organization name').fill(reseller.name);
    await row(page, reseller.name).filter({ hasText: 'Approved' }).waitFor();
    await checkPage(operator);
  });

  it('(1) the provider invites the reseller; the reseller authorizes it from the mailbox link; both lists show each other', async () => {
    await provider.page.goto('/indirect-resellers');
    await provider.page.getByRole('button', { name: 'Invite reseller' }).first().click();
    const dialog = provider.page.getByRole('dialog');
    await dialog.getByLabel("Reseller admin's email").fill(reseller.email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await toast(provider.page, `Invitation emailed to ${reseller.email}`);
    await checkPage(provider);

    resellerPage = await person(reseller.email);
    // A partner's first sign-in sets up MFA before anything else.
    await setUpMfa(resellerPage);
    await resellerPage.page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    const link = await invitationLinkFromMailbox(resellerPage.page, reseller.email);
    expect(new URL(link).origin).toBe(new URL(resellerPage.page.url()).origin);
    await resellerPage.page.getByRole('link', { name: link }).first().click();
    await resellerPage.page.waitForURL(/\/invitations\/.+\?token=/);
    const heading = `${providerName} invites you to authorize it as your indirect provider`;
    await resellerPage.page.getByRole('heading', { name: heading }).waitFor();
    // Opening the link changed nothing: a reload shows the same undecided invitation.
    await resellerPage.page.reload();
    await resellerPage.page.getByRole('heading', { name: heading }).waitFor();
    await checkPage(resellerPage);

    const authorize = resellerPage.page.getByRole('button', { name: 'Authorize indirect provider' });
    // Consent first: the button waits for the box.
    expect(await authorize.isDisabled()).toBe(true);
    await resellerPage.page.getByRole('checkbox', { name: /I authorize Meridian Distribution to be an indirect provider/ }).check();
    await authorize.click();
    await resellerPage.page.getByText(`${providerName} is now your indirect provider.`).waitFor();
    // The token leaves the address bar once used.
    await resellerPage.page.waitForURL((url) => url.search === '');
    await checkPage(resellerPage);

    await resellerPage.page.getByRole('link', { name: 'Indirect providers' }).first().click();
    await row(resellerPage.page, providerName).waitFor();
    await checkPage(resellerPage);

    await provider.page.goto('/indirect-resellers');
    await row(provider.page, reseller.name).filter({ hasText: 'Active' }).waitFor();
    await checkPage(provider);
  });

  it('(2) the reseller sends a joint invitation; a new customer signs up from the link and accepts; both partners see it', async () => {
    const page = resellerPage.page;
    await page.goto('/indirect-providers');
    await row(page, providerName).getByRole('link', { name: 'Invite new customers' }).click();
    await page.getByRole('heading', { name: 'Invite new customers', level: 1 }).waitFor();
    await page.getByLabel("Customer admin's email").fill(customer.email);
    await expect.poll(() => page.getByLabel('Together with an indirect provider').inputValue()).not.toBe('');
    await page.getByRole('button', { name: 'Create draft email' }).click();
    const message = page.getByLabel('Message', { exact: true });
    await message.waitFor();
    const link = await page.getByLabel('Personal link').inputValue();
    expect(link).toMatch(/\/invitations\/.+\?token=/);
    await page.getByRole('button', { name: 'Copy to clipboard' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(link);
    const mailto = await page.getByRole('link', { name: 'Open in email app' }).getAttribute('href');
    expect(mailto).toContain(`mailto:${encodeURIComponent(customer.email)}`);
    await message.fill(`Hello from ${reseller.name}! We would like to be your reseller, together with ${providerName}.`);
    await page.getByRole('button', { name: 'Send with Tierlink' }).click();
    await page.getByText(`Tierlink emailed the invitation to ${customer.email}.`).first().waitFor();
    await checkPage(resellerPage);
    // Sending sent the draft's own invitation: Invitations lists the invitee once, still pending.
    await page.goto('/invitations');
    await row(page, customer.email).first().waitFor();
    expect(await row(page, customer.email).count()).toBe(1);

    const sent = await invitationLinkFromMailbox(operator.page, customer.email);
    customerPage = await person();
    const c = customerPage.page;
    await c.goto(sent);
    await c.getByRole('heading', { name: `${reseller.name} and ${providerName} ask to become your resellers` }).waitFor();
    await c.getByRole('tab', { name: 'Create my organization' }).click();
    const form = c.getByRole('form', { name: 'Create your organization' });
    await form.getByLabel('Organization name').fill(customer.name);
    expect(await form.getByLabel('Primary domain').inputValue()).toBe(customer.domain);
    expect(await form.getByLabel('Email').inputValue()).toBe(customer.email);
    await form.getByLabel('Full name').fill('Nora Newco');
    await form.getByLabel('Password').fill(demoPassword);
    await form.getByRole('button', { name: 'Create organization' }).click();
    await c.getByRole('checkbox', { name: /I authorize/ }).check();
    await c.getByRole('button', { name: 'Accept', exact: true }).click();
    await c.getByText(`${reseller.name} and ${providerName} are now your resellers.`).waitFor();
    await c.waitForURL((url) => url.search === '');
    await checkPage(customerPage);
    await c.getByRole('link', { name: 'Partners' }).first().click();
    await row(c, reseller.name).waitFor();
    await row(c, providerName).waitFor();
    await checkPage(customerPage);

    await page.goto('/customers');
    await row(page, customer.name).waitFor();
    await row(page, customer.name).getByRole('button', { name: `Details of ${customer.name}` }).click();
    await page.getByText(`${reseller.name}, by invitation`).waitFor();
    await page.goto('/indirect-providers');
    await row(page, providerName).getByRole('link', { name: 'View customers' }).click();
    await page.getByRole('heading', { name: `Customers you share with ${providerName}` }).waitFor();
    await row(page, customer.name).waitFor();
    await checkPage(resellerPage);

    await provider.page.goto('/customers');
    await provider.page.getByLabel('Search by name').fill(customer.name);
    await row(provider.page, customer.name).waitFor();
    await checkPage(provider);
  });

  it('(3) the reseller removes the relationship with the attestation; its admin access stays unless revoked', async () => {
    const page = resellerPage.page;
    await page.goto('/customers');
    await row(page, customer.name).getByRole('link', { name: customer.name }).click();
    await page.getByRole('heading', { name: customer.name, level: 1 }).waitFor();
    await checkPage(resellerPage);
    await page.getByRole('button', { name: 'Remove customer relationship' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Delegated admin access stays unchanged').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Remove customer relationship' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: /I represent that the decision/ }).check();
    await confirm.click();
    await page.waitForURL((url) => url.pathname === '/customers');
    await toast(page, `The relationship with ${customer.name} was removed. 1 delegated admin grant remains.`);
    await page.getByLabel('Search by name').fill(customer.name);
    await page.getByText(`No customer name or domain starts with "${customer.name}".`).waitFor();
    await checkPage(resellerPage);

    // The customer still sees the reseller's admin access, and can revoke it itself.
    await customerPage.page.goto('/partners');
    const partner = row(customerPage.page, reseller.name);
    await partner.getByText('Active').first().waitFor();
    await checkPage(customerPage);

    // The provider terminates its own admin access (a relationship row): the row then says when it ended.
    const p = provider.page;
    await p.goto('/customers');
    await p.getByLabel('Search by name').fill(customer.name);
    await row(p, customer.name).getByRole('link', { name: customer.name }).click();
    await p.getByRole('heading', { name: customer.name, level: 1 }).waitFor();
    const grants = p.getByRole('table', { name: 'Delegated admin access' });
    await grants.getByRole('button', { name: 'Terminate' }).click();
    await p.getByRole('alertdialog').getByRole('button', { name: 'Terminate' }).click();
    const revoked = grants.getByRole('row').filter({ hasText: 'Terminated' });
    await revoked.waitFor();
    expect(await revoked.innerText()).toMatch(/terminated on /);
    expect(await revoked.innerText()).not.toContain('until revoked');
    await checkPage(provider);
  });
});
