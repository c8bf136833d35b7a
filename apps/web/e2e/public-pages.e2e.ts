import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBothLanguages, checkPage, expectNoConsoleErrors, launchBrowser, newPerson, openPage, signIn } from './harness.ts';

describe('pages without a session', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('sends a visitor to sign in, in both languages', async () => {
    const w = await openPage(await newPerson(browser));
    await w.page.goto('/customers');
    await w.page.waitForURL(/\/sign-in\?redirect=%2Fcustomers/);
    await expect.poll(() => w.page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await checkBothLanguages(w, 'sign-in');
  });

  it('explains a wrong password in the chosen language', async () => {
    const w = await openPage(await newPerson(browser));
    w.expect(/status of 401/);
    await w.page.goto('/sign-in');
    await w.page.getByLabel('Email').fill('admin@alder-it.example');
    await w.page.getByLabel('Password').fill('not-the-password');
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => w.page.getByRole('alert').textContent()).toContain('The email or the password is not correct.');
    expectNoConsoleErrors(w);
  });

  it('signs up a new organization and shows a taken domain next to its field', async () => {
    const w = await openPage(await newPerson(browser));
    w.expect(/status of 409/);
    await w.page.goto('/sign-up');
    await checkBothLanguages(w);
    const form = w.page.getByRole('form', { name: 'Create your organization' });
    await form.getByLabel('Organization name').fill('Delta Copy');
    await form.getByLabel('Primary domain').fill('delta-dental.example');
    await form.getByLabel('Country or region').selectOption('US');
    await form.getByLabel('Full name').fill('Dana Copy');
    await form.getByLabel('Email').fill('dana@delta-copy.example');
    await form.getByLabel('Password').fill('a-long-password');
    await form.getByRole('button', { name: 'Create organization' }).click();
    // The 409 names the field; the message sits under that input and describes it.
    const domain = form.getByLabel('Primary domain');
    await expect.poll(() => domain.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await domain.getAttribute('aria-describedby')) ?? '';
    const description = await w.page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy);
    expect(description).toContain('An organization with this domain already exists.');
    await form.getByLabel('Primary domain').fill('delta-copy.example');
    await form.getByRole('button', { name: 'Create organization' }).click();
    // "/" is the new customer admin's home.
    await w.page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
    await checkPage(w);
  });

  it('answers an unknown address with a page that leads home', async () => {
    const context = await newPerson(browser);
    const w = await openPage(context);
    await signIn(w.page, 'admin@alder-it.example');
    await w.page.goto('/no/such/page');
    await expect.poll(() => w.page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await checkPage(w);
  });
});
