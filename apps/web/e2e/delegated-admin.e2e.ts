import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, checkBothLanguages, checkPage, demoPassword, launchBrowser, newPerson, openPage, signIn, switchLanguage, toast, unique, type Watched } from './harness.ts';

/** A demo provider and one of its customers that no other browser test uses. */
const partnerEmail = 'admin@bluepeak-supply.example';
const customerEmail = 'admin@harbor-clinic.example';
const partnerName = 'Bluepeak Supply';
const customerName = 'Harbor Clinic';

interface Relationship {
  id: string;
  state: string;
  roles: string[];
  approvalUrl: string | null;
  pendingAmendment: { id: string } | null;
}

/** The relationship as the API answers it to whoever is signed in on `page`. */
async function read(page: Page, id: string): Promise<Relationship> {
  return page.evaluate(async (path) => {
    const answer = await fetch(path);
    if (!answer.ok) throw new Error(`${path}: ${answer.status}`);
    return (await answer.json()) as Relationship;
  }, `/api/v1/delegated-admin-relationships/${id}`);
}

describe('delegated admin relationships: request, approval link, amendment, termination', () => {
  let browser: Browser;
  let partner: Watched;
  let customer: Watched;
  const name = unique('Bluepeak licensing');
  let id = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    partner = await openPage(await newPerson(browser));
    customer = await openPage(await newPerson(browser));
    await signIn(partner.page, partnerEmail);
  });
  afterAll(async () => {
    await browser.close();
  });

  it('the partner drafts a relationship with roles (the role picker says what each allows) and sends it for approval', { timeout: 120_000 }, async () => {
    const page = partner.page;
    await page.getByRole('navigation').getByRole('link', { name: 'Delegated admin' }).click();
    await page.getByRole('heading', { name: 'Delegated admin', level: 1 }).waitFor();
    await checkBothLanguages(partner, 'delegated-admin');

    await page.getByRole('button', { name: 'Request admin access' }).click();
    const dialog = page.getByRole('dialog');
    // An empty form is answered in the page, one message per field, and nothing is sent.
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.getByText('Fill in this field.').first().waitFor();

    await dialog.getByRole('textbox', { name: /^Name/ }).fill(name);
    // Typed as a person types: the list opens on input and the server searches what was typed.
    const picker = dialog.getByRole('combobox', { name: 'Customer' });
    await picker.click();
    await picker.pressSequentially('Harbor');
    await page.getByRole('listbox').getByRole('option', { name: `${customerName} · harbor-clinic.example` }).click();
    await dialog.getByText('Assign licenses of the customer’s subscriptions to its users and remove them.').waitFor();
    // A role that manages the customer's admins rules out auto-extend, and the form says why.
    const autoExtend = dialog.getByRole('checkbox', { name: 'Auto-extend' });
    expect(await autoExtend.isDisabled()).toBe(false);
    await dialog.getByRole('checkbox', { name: 'Manage users' }).check();
    expect(await autoExtend.isDisabled()).toBe(true);
    await dialog.getByText(/Not with Manage users/).waitFor();
    await dialog.getByRole('checkbox', { name: 'Manage users' }).uncheck();
    await dialog.getByRole('checkbox', { name: 'Assign licenses' }).check();
    await dialog.getByLabel('Duration in days').fill('30');
    await checkPage(partner);
    await dialog.getByRole('button', { name: 'Save draft' }).click();

    await page.waitForURL((url) => /^\/delegated-admin\/[0-9a-f-]{36}$/.test(url.pathname));
    id = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByText('Draft', { exact: true }).waitFor();
    await page.getByText('30 days', { exact: true }).waitFor();
    // A draft changes under If-Match (the relationship's etag as the page read it).
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Duration in days').fill('60');
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Draft saved.');
    await page.getByText('60 days', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await toast(page, 'Sent for approval.');
    const link = page.getByRole('textbox', { name: 'Approval link' });
    await expect.poll(() => link.inputValue()).toBe(`${baseUrl()}/delegated-admin/${id}`);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await toast(page, 'Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl()}/delegated-admin/${id}`);
    await checkPage(partner);
  });

  it('the customer admin opens the approval link (signed out: sign-in, then back); opening changes nothing; approving does', { timeout: 120_000 }, async () => {
    const before = await read(partner.page, id);
    expect(before.state).toBe('approval_pending');

    const page = customer.page;
    await page.goto(`/delegated-admin/${id}`);
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByLabel('Email').fill(customerEmail);
    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === `/delegated-admin/${id}`);
    await page.getByRole('heading', { name: `${partnerName} asks for admin access`, level: 1 }).waitFor();
    await page.getByText('Assign licenses of the customer’s subscriptions to its users and remove them.').waitFor();
    await page.getByText('60 days', { exact: true }).waitFor();
    await checkBothLanguages(customer, 'delegated-admin-approval');

    // Reading the page (the GET) left the relationship exactly as it was.
    expect(await read(page, id)).toEqual(await read(partner.page, id));
    expect(await read(partner.page, id)).toEqual(before);

    // It waits for this customer on the Delegated admin page too.
    await page.goto('/delegated-admin');
    const waiting = page.getByRole('table', { name: 'Waiting for you' });
    await waiting.getByRole('row').filter({ hasText: name }).getByRole('link', { name: 'Open' }).click();
    await page.waitForURL((url) => url.pathname === `/delegated-admin/${id}`);

    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await toast(page, 'Approved: the access is active.');
    await page.getByText('Active', { exact: true }).first().waitFor();
    expect((await read(page, id)).state).toBe('active');
    await checkPage(customer);
  });

  it('the partner proposes an amendment; the customer sees before → after in its requests and approves it', { timeout: 120_000 }, async () => {
    const page = partner.page;
    await page.reload();
    await page.getByRole('button', { name: 'Propose amendment' }).click();
    const dialog = page.getByRole('dialog');
    // Proposing the terms in force is no amendment.
    await dialog.getByRole('button', { name: 'Propose' }).click();
    await dialog.getByText('Change the roles, the duration or both.').waitFor();
    await dialog.getByRole('checkbox', { name: 'Reset passwords' }).check();
    await checkPage(partner);
    await dialog.getByRole('button', { name: 'Propose' }).click();
    await toast(page, `Amendment sent to ${customerName}.`);
    await page.getByRole('heading', { name: 'Proposed amendment' }).waitFor();
    const proposed = await read(page, id);
    // The old terms hold until the customer decides.
    expect(proposed.roles).toEqual(['license_admin']);
    expect(proposed.pendingAmendment).not.toBeNull();

    const c = customer.page;
    await c.goto('/delegated-admin');
    const row = c.getByRole('table', { name: 'Waiting for you' }).getByRole('row').filter({ hasText: 'Amendment' });
    await row.getByText('Assign licenses → Assign licenses, Reset passwords').waitFor();
    await checkPage(customer);
    await row.getByRole('link', { name }).click();
    await c.waitForURL((url) => url.pathname === `/delegated-admin/${id}`);
    await c.getByRole('button', { name: 'Approve amendment' }).click();
    await toast(c, 'Amendment approved.');
    await c.getByText('The relationship has its new terms:').waitFor();
    // The proposal leaves the page once the relationship is read again; the outcome stays, before → after.
    await c.getByRole('heading', { name: 'Proposed amendment' }).waitFor({ state: 'detached' });
    await c.getByText('Assign licenses → Assign licenses, Reset passwords').waitFor();
    await checkPage(customer);
    const amended = await read(c, id);
    expect(amended.roles).toEqual(['license_admin', 'helpdesk']);
    expect(amended.pendingAmendment).toBeNull();
  });

  it('the customer sees the relationship with its partner; the partner terminates it (confirmed) and its customer page shows it', { timeout: 120_000 }, async () => {
    const c = customer.page;
    await c.goto('/partners');
    const partnerRow = c.getByRole('row').filter({ hasText: partnerName });
    await partnerRow.getByRole('link', { name }).waitFor();
    await partnerRow.getByText(/^Assign licenses, Reset passwords · until /).waitFor();
    await checkPage(customer);
    // The access trace: every relationship in force with the partner, how it came to be, its use.
    await partnerRow.getByRole('link', { name: 'Access trace' }).click();
    await c.getByRole('heading', { name: `Access of ${partnerName}`, level: 1 }).waitFor();
    const customerTrace = c.getByRole('table', { name: 'Admin access in use' }).getByRole('row').filter({ hasText: name });
    await customerTrace.getByText('Approved request').waitFor();
    await checkBothLanguages(customer, 'partner-access');

    // The partner's customer page traces the same access.
    const page = partner.page;
    await page.goto('/customers');
    await page.getByLabel('Search by name').fill(customerName);
    await page.getByRole('row').filter({ hasText: customerName }).getByRole('link', { name: customerName }).click();
    await page.getByRole('table', { name: 'Admin access in use' }).getByRole('row').filter({ hasText: name }).getByText('Approved request').waitFor();
    await checkPage(partner);

    await page.goto(`/delegated-admin/${id}`);
    await page.getByRole('button', { name: 'Terminate' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText(`Terminate the admin access of ${partnerName} to ${customerName}?`).waitFor();
    await confirm.getByRole('button', { name: 'Terminate' }).click();
    await toast(page, 'Relationship terminated.');
    await page.getByText('Terminated', { exact: true }).first().waitFor();
    expect((await read(page, id)).state).toBe('terminated');
    expect((await read(c, id)).state).toBe('terminated');

    // The partner's customer page lists it as a relationship row, linking to its page.
    await page.goto('/customers');
    await page.getByLabel('Search by name').fill(customerName);
    await page.getByRole('row').filter({ hasText: customerName }).getByRole('link', { name: customerName }).click();
    const rows = page.getByRole('table', { name: 'Delegated admin access' });
    const terminated = rows.getByRole('row').filter({ hasText: name });
    await terminated.getByText('Terminated', { exact: true }).waitFor();
    expect(await terminated.innerText()).toMatch(/terminated on /);
    // A terminated relationship is no way in any more: the trace leaves it out.
    await page.getByRole('table', { name: 'Admin access in use' }).waitFor();
    expect(await page.getByRole('table', { name: 'Admin access in use' }).getByRole('row').filter({ hasText: name }).count()).toBe(0);
    await checkPage(partner);
  });

  it('ru: the relationship page and the list in Russian', { timeout: 60_000 }, async () => {
    const page = customer.page;
    await page.goto(`/delegated-admin/${id}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await switchLanguage(page, 'ru');
    await page.getByText('Прекращён', { exact: true }).first().waitFor();
    await page.getByText('Назначать пользователям клиента лицензии его подписок и отзывать их.').waitFor();
    await checkPage(customer);
    await page.getByRole('link', { name: 'Назад к делегированному доступу' }).click();
    await page.getByRole('heading', { name: 'Делегированный доступ', level: 1 }).waitFor();
    await page.getByText('Ничего не ожидает вашего решения.').waitFor();
    await checkPage(customer);
    await switchLanguage(page, 'en');
  });
});
