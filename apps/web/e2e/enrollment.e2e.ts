import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, checkPage, demoPassword, launchBrowser, newPerson, openPage, setUpMfa, signIn, toast, unique, type Watched } from './harness.ts';

const operatorEmail = 'operator@tierlink.example';
const membershipAccount = 'memberships@kestrel-cloud.example';
const partnerAdmin = 'admin@alder-it.example';

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

/** The newest link matching `pattern` in a message to `to`, read from the embedded mailbox page. */
async function linkFromMailbox(page: Page, to: string, subject: string, pattern: RegExp): Promise<string> {
  await page.getByRole('link', { name: 'Mailbox' }).click();
  const message = page.getByRole('listitem').filter({ hasText: `To ${to}` }).filter({ hasText: subject }).first();
  const link = message.getByRole('link', { name: pattern }).first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  if (href === null) throw new Error(`no link for ${to}`);
  return href;
}

// Seed workflows "Enroll as an indirect reseller" (with the operator's review) and "Add a new user",
// each actor in a browser context of its own.
describe('enrollment and user management', () => {
  let browser: Browser;
  const people: BrowserContext[] = [];
  const id = unique('wren');
  const org = { name: `Wren Cloud ${id}`, domain: `${id}.example`, email: `admin@${id}.example` };

  const person = async (email?: string, password?: string): Promise<Watched> => {
    const context = await newPerson(browser);
    people.push(context);
    const w = await openPage(context);
    if (email !== undefined) await signIn(w.page, email, password);
    return w;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of people) await c.close();
    await browser.close();
  });

  it('(4) a new organization enrolls, verifies its email, is approved by the operator and reaches its partner pages', async () => {
    const w = await person();
    const page = w.page;
    await page.goto('/sign-up');
    const signUp = page.getByRole('form', { name: 'Create your organization' });
    await signUp.getByLabel('Organization name').fill(org.name);
    await signUp.getByLabel('Primary domain').fill(org.domain);
    await signUp.getByLabel('Country or region').selectOption('US');
    await signUp.getByLabel('Full name').fill('Wanda Wren');
    await signUp.getByLabel('Email').fill(org.email);
    await signUp.getByLabel('Password').fill(demoPassword);
    await signUp.getByRole('button', { name: 'Create organization' }).click();
    // "/" is the customer admin's home.
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();

    // Step 1: the membership registry's sign-in lists the account's profiles.
    await page.getByRole('link', { name: 'Enrollment' }).click();
    await page.getByRole('heading', { name: 'Enrollment', level: 1 }).waitFor();
    await page.getByText('Step 1 of 2').waitFor();
    await checkBothLanguages(w, 'enrollment');
    await page.getByLabel('Membership account email').fill(membershipAccount);
    await page.getByLabel('Membership account password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const german = page.getByRole('radio', { name: 'MPN-6100200 · Kestrel Cloud GmbH · Germany' });
    await german.waitFor();
    await page.getByRole('radio', { name: 'MPN-6100100 · Kestrel Cloud Inc. · United States' }).waitFor();
    await page.getByText('Choose the profile located in United States').waitFor();

    // The wrong country first: the server's answer sits at the membership.
    await german.check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Step 2 of 2').waitFor();
    expect(await page.getByLabel('Legal business name').inputValue()).toBe('Kestrel Cloud GmbH');
    // No program is chosen for the user; enrolling without one is stopped in the form.
    expect(await page.getByRole('radio', { name: 'Indirect reseller' }).isChecked()).toBe(false);
    expect(await page.getByRole('radio', { name: 'Indirect provider' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Enroll now' }).click();
    await page.getByText('Choose the program to enroll in.').waitFor();
    await page.getByRole('radio', { name: 'Indirect reseller' }).check();
    await page.getByLabel('Legal business name').fill(`${org.name} LLC`);
    await page.getByLabel('Address').fill('12 Alder Street, Portland, OR 97201');
    const primary = page.getByRole('group', { name: 'Primary contact' });
    expect(await primary.getByLabel('Email').inputValue()).toBe(org.email);
    await primary.getByLabel('Email').fill('wanda.wren@gmail.com');
    await primary.getByLabel('Phone').fill('+1 503 555 0170');
    const support = page.getByRole('group', { name: 'Customer support' });
    await support.getByLabel('Email').fill(`support@${org.domain}`);
    await support.getByLabel('Phone').fill('+1 503 555 0171');
    await support.getByLabel('Support website').fill(`https://${org.domain}/support`);
    w.expect(/status of 400/);
    await page.getByRole('button', { name: 'Enroll now' }).click();
    const membership = page.getByLabel('Membership', { exact: true });
    await expect.poll(() => membership.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Choose a membership in the country of your organization.').first().waitFor();
    await checkPage(w);

    // The matching membership; then a web-mail primary contact is refused at its field.
    await page.getByRole('button', { name: 'Choose another membership' }).click();
    await page.getByRole('radio', { name: 'MPN-6100100 · Kestrel Cloud Inc. · United States' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    w.expect(/status of 400/);
    await page.getByRole('button', { name: 'Enroll now' }).click();
    await expect.poll(() => primary.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await primary.getByText('Use an email address of your organization, not a web-based email service.').waitFor();
    await primary.getByLabel('Email').fill(org.email);
    await page.getByRole('button', { name: 'Enroll now' }).click();

    // Now a partner: MFA first, then the enrollment's status.
    await setUpMfa(w);
    await page.waitForURL((url) => url.pathname === '/enrollment');
    const status = page.getByRole('article', { name: 'Indirect reseller' });
    await status.getByText('Email not verified').waitFor();
    await status.getByText('Check your email').waitFor();
    await status.getByText(`We sent a verification link to ${org.email}.`).waitFor();
    // Pages it cannot use yet are not offered.
    expect(await page.getByRole('link', { name: 'Customers' }).count()).toBe(0);
    await checkBothLanguages(w, 'enrollment-status');

    // The primary contact follows the emailed link; opening it changes nothing, the button verifies.
    const link = await linkFromMailbox(page, org.email, 'Verify your email', /\/verify-email\//);
    expect(new URL(link).origin).toBe(new URL(page.url()).origin);
    await page.getByRole('link', { name: link }).first().click();
    await page.waitForURL(/\/verify-email\/.+\?token=/);
    await page.getByRole('heading', { name: 'Verify your email address', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Verify my email' }).waitFor();
    await checkBothLanguages(w, 'verify-email');
    await page.getByRole('button', { name: 'Verify my email' }).click();
    await page.getByText('Your email address is verified').waitFor();
    await page.waitForURL((url) => url.search === '');
    await checkPage(w);
    await page.getByRole('link', { name: 'See the enrollment' }).click();
    await status.getByText('In review', { exact: true }).first().waitFor();

    // The operator's review queue: the oldest first, in review by default.
    const operator = await person(operatorEmail);
    const o = operator.page;
    await o.getByRole('link', { name: 'Enrollments', exact: true }).click();
    const queued = row(o, org.name);
    await queued.waitFor();
    expect(await o.getByLabel('State').inputValue()).toBe('in_review');
    await queued.getByText('MPN-6100100').waitFor();
    await queued.getByText(`Primary: Wanda Wren, ${org.email}, +1 503 555 0170`).waitFor();
    await checkBothLanguages(operator, 'operator-enrollments');
    // Rejecting asks for a reason; an empty one is refused at its field. Then approve instead.
    await queued.getByRole('button', { name: 'Reject' }).click();
    const dialog = o.getByRole('dialog');
    await dialog.getByText(`Reject the enrollment of ${org.name}?`).waitFor();
    operator.expect(/status of 400/);
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The legal name is not the organization's: flagged in the row and in the details.
    await queued.getByText('Legal name differs from the organization name').waitFor();
    await queued.getByRole('button', { name: `Details of the enrollment of ${org.name}` }).click();
    const details = o.getByRole('dialog', { name: `Enrollment of ${org.name}` });
    await details.getByText('12 Alder Street, Portland, OR 97201').waitFor();
    await details.getByText('Legal name differs from the organization name').waitFor();
    await checkPage(operator);
    await details.getByRole('button', { name: 'Close' }).click();
    // Approving is confirmed.
    await queued.getByRole('button', { name: 'Approve' }).click();
    const approve = o.getByRole('alertdialog', { name: `Approve the enrollment of ${org.name}?` });
    await approve.getByText(`The legal name "${org.name} LLC" differs from the organization name "${org.name}".`, { exact: false }).waitFor();
    await approve.getByRole('button', { name: 'Approve' }).click();
    await toast(o, `The enrollment of ${org.name} is approved.`);
    await queued.waitFor({ state: 'detached' });
    await o.getByLabel('State').selectOption('approved');
    await row(o, org.name).getByText('Approved').waitFor();
    await checkPage(operator);

    // The primary contact is told; the partner center opens.
    await page.getByRole('link', { name: 'Mailbox' }).click();
    await page.getByRole('listitem').filter({ hasText: `${org.name}: enrollment approved` }).first().waitFor();
    await page.getByRole('link', { name: 'Enrollment' }).click();
    await status.getByText('Your partner center is ready to use.').waitFor();
    await page.getByRole('link', { name: 'Indirect providers' }).waitFor();
    await status.getByRole('link', { name: 'Go to the partner center' }).click();
    // The partner center opens on the reseller's home; its pages are in the navigation.
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Indirect providers', exact: true }).click();
    await page.getByRole('heading', { name: 'Indirect providers', level: 1 }).waitFor();
    await checkPage(w);
  });

  it('(5) a partner admin adds a user; the temporary password is shown once; the user changes it, sets up MFA and works', async () => {
    const admin = await person(partnerAdmin);
    const page = admin.page;
    await page.getByRole('link', { name: 'User management' }).click();
    await page.getByRole('heading', { name: 'User management', level: 1 }).waitFor();
    await row(page, partnerAdmin).getByText('Global admin').waitFor();
    await checkBothLanguages(admin, 'user-management');

    const newUser = { name: `Sam Sales ${id}`, email: `sam-${id}@alder-it.example` };
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog');
    // An empty form is checked in the page with the API's own rules: one message per field, no request.
    const posts: string[] = [];
    const countPosts = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/users')) posts.push(r.url());
    };
    page.on('request', countPosts);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => dialog.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText('Fill in this field.').count()).toBe(2);
    await dialog.getByLabel('Email').fill('not-an-address');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('Enter an email address such as name@contoso.com.', { exact: true }).waitFor();
    expect(posts).toEqual([]);
    page.off('request', countPosts);
    await dialog.getByLabel('Full name').fill(newUser.name);
    // An email another user has: the 409 sits under the email field.
    await dialog.getByLabel('Email').fill('admin@cedar-networks.example');
    await dialog.getByRole('checkbox', { name: 'Sales agent' }).check();
    await dialog.getByRole('checkbox', { name: 'Helpdesk agent' }).check();
    admin.expect(/status of 409/);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText('A user with this email already exists.').waitFor();
    await checkPage(admin);
    await dialog.getByLabel('Email').fill(newUser.email);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByText(`${newUser.name} was added`).waitFor();
    await dialog.getByText(/expires in 72 hours/).waitFor();
    const password = await dialog.getByLabel('Temporary password').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(16);
    await dialog.getByRole('button', { name: 'Copy sign-in information' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain(password);
    await checkPage(admin);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Shown once: the page no longer holds it.
    expect(await page.getByText(password).count()).toBe(0);
    const added = row(page, newUser.email);
    await added.getByText('Sales agent, Helpdesk agent').waitFor();
    await added.getByText('Has not chosen a password yet').waitFor();

    // Change roles: Admin agent too.
    await added.getByRole('button', { name: 'Change roles' }).click();
    await page.getByRole('dialog').getByRole('checkbox', { name: 'Admin agent' }).check();
    await page.getByRole('dialog').getByRole('button', { name: 'Update' }).click();
    await toast(page, `The roles of ${newUser.name} were updated.`);
    await added.getByText('Admin agent, Sales agent, Helpdesk agent').waitFor();

    // The organization keeps one active global admin: disabling it is refused in the dialog.
    await row(page, partnerAdmin).getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('alertdialog');
    admin.expect(/status of 409/);
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await confirm.getByText('The organization needs at least one active global admin.').first().waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    // The new user, in a browser of their own: temporary password → own password → MFA → the portal.
    const user = await person(newUser.email, password);
    const u = user.page;
    await u.waitForURL((url) => url.pathname === '/settings/password');
    await u.getByText('You signed in with a temporary password.').waitFor();
    await checkPage(user);
    await u.getByLabel('Current password').fill(password);
    await u.getByLabel('New password').fill(`${demoPassword}-sam`);
    await u.getByRole('button', { name: 'Change password' }).click();
    await setUpMfa(user);
    await u.waitForURL((url) => url.pathname === '/');
    await u.getByRole('link', { name: 'Indirect providers', exact: true }).click();
    await u.getByRole('heading', { name: 'Indirect providers', level: 1 }).waitFor();
    await checkPage(user);

    // Back with the admin: the user now has MFA; reset it (lost device), then delete the user.
    await page.reload();
    await added.getByText('On', { exact: true }).waitFor();
    await added.getByRole('button', { name: 'Reset MFA' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reset MFA' }).click();
    await toast(page, `The multi-factor authentication of ${newUser.name} was reset.`);
    await added.getByText('Off', { exact: true }).waitFor();
    await added.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await toast(page, `${newUser.name} was deleted.`);
    await added.waitFor({ state: 'detached' });
    await checkPage(admin);
  });

  it('operator: Memberships (register one; a CSV import with a refused row, then a good one)', async () => {
    const operator = await person(operatorEmail);
    const page = operator.page;
    await page.getByRole('link', { name: 'Memberships' }).click();
    await page.getByRole('heading', { name: 'Memberships', level: 1 }).waitFor();
    await checkBothLanguages(operator, 'operator-memberships');

    const form = page.getByRole('form', { name: 'Register a membership' });
    await form.getByLabel('Membership ID').fill(`MPN-${id}`);
    await form.getByLabel('Legal name').fill(`Wren Partners ${id} GmbH`);
    await form.getByLabel('Country or region').selectOption('DE');
    await form.getByLabel('Account email').fill(`pmc@${id}.example`);
    await form.getByLabel('Account password').fill(demoPassword);
    await form.getByRole('button', { name: 'Register' }).click();
    await toast(page, `Membership MPN-${id} is registered under pmc@${id}.example.`);
    // The same id again: the conflict is named at the field.
    await form.getByLabel('Membership ID').fill(`MPN-${id}`);
    await form.getByLabel('Legal name').fill(`Wren Partners ${id} GmbH`);
    await form.getByLabel('Account email').fill(`pmc@${id}.example`);
    await form.getByLabel('Account password').fill(demoPassword);
    operator.expect(/status of 409/);
    await form.getByRole('button', { name: 'Register' }).click();
    await form.getByText('This membership ID is registered already.').waitFor();

    const csv = page.getByRole('form', { name: 'Import memberships from CSV' }).getByLabel('Or paste the CSV');
    const header = 'membership_id,legal_name,country,account_email,account_password';
    operator.expect(/status of 400/);
    await csv.fill(`${header}\nMPN-${id}-1,Wren One ${id},US,pmc1@${id}.example,${demoPassword}\nMPN-${id}-2,Wren Two ${id},USA,pmc2@${id}.example,${demoPassword}`);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Line 3 of the CSV was refused; nothing was imported.').waitFor();
    await csv.fill(`${header}\nMPN-${id}-1,Wren One ${id},US,pmc1@${id}.example,${demoPassword}\nMPN-${id}-2,Wren Two ${id},GB,pmc1@${id}.example,${demoPassword}`);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 memberships registered').waitFor();
    await page.getByText(`MPN-${id}-2 · Wren Two ${id} · United Kingdom · pmc1@${id}.example`).waitFor();
    await checkPage(operator);
  });
});
