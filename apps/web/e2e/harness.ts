import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { expect, inject } from 'vitest';

export const demoPassword = 'tierlink-demo';
/** The demo partners' and operator's authenticator key, as `npm start` prints it. */
export const demoTotpSeed = 'TIERLINKDEMOTIERLINKDEMOTIERLINK';
export const baseUrl = (): string => inject('baseUrl');

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, never a downloaded browser; Playwright gives every launch a fresh profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** One person: own cookies, English browser, a fixed window size for comparable screenshots. */
export async function newPerson(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 700 }, baseURL: baseUrl() });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  return context;
}

export interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions so far. */
  errors: string[];
  /** Console messages expected by the test (e.g. the 401 of a wrong password), consumed once each. */
  expect(pattern: RegExp): void;
  /** Withdraws an expectation that turned out not to apply (if it was not consumed yet). */
  forget(pattern: RegExp): void;
}

const watched = new WeakMap<Page, Watched>();

/** A page whose console errors, uncaught exceptions and CSP violations are recorded. */
export async function openPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const expected: RegExp[] = [];
  const errors: string[] = [];
  const record = (text: string) => {
    const i = expected.findIndex((p) => p.test(text));
    if (i >= 0) expected.splice(i, 1);
    else errors.push(text);
  };
  page.on('console', (message) => {
    if (message.type() === 'error') record(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => record(`uncaught: ${error.message}`));
  const w: Watched = {
    page,
    errors,
    expect: (pattern) => expected.push(pattern),
    forget: (pattern) => {
      const i = expected.indexOf(pattern);
      if (i >= 0) expected.splice(i, 1);
    },
  };
  watched.set(page, w);
  return w;
}

export function expectNoConsoleErrors(w: Watched): void {
  expect(w.errors, `console errors on ${w.page.url()}`).toEqual([]);
}

/** axe-core in the page (evaluated through the DevTools protocol, so the page's CSP stays strict). */
export async function expectAccessible(page: Page): Promise<void> {
  await settle(page);
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type Axe = { run(context: object, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    // Fluent UI's focus manager (Tabster) places invisible <i data-tabster-dummy tabindex=0
    // aria-hidden> sentinels that hand focus on when tabbed to; they are not content. Toasts fade
    // in and out on their own timers, which the contrast rule would catch half-transparent.
    const result = await axe.run({ exclude: [['[data-tabster-dummy]'], ['.fui-Toast']] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  const severe = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe, `axe on ${page.url()}`).toEqual([]);
}

/** Waits for the network and for every running animation (fades would fool the contrast check). */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
}

/** A toast's text (Fluent also copies it into a live region, hence the first match). */
export function toast(page: Page, text: string): Promise<void> {
  return page.getByText(text).first().waitFor();
}

/**
 * Writes apps/web/screenshots/<name>.<lang>.webp: the viewport as Chromium's own lossy WebP
 * (about a third of a PNG), so that the committed pictures stay small.
 */
export async function screenshot(page: Page, name: string, lang: 'en' | 'ru'): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await settle(page);
  await page.mouse.move(0, 0);
  const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  // Full-quality copies for a closer look, when asked for.
  const pngDir = process.env['TIERLINK_SCREENSHOT_PNG_DIR'];
  if (pngDir !== undefined && pngDir !== '') {
    mkdirSync(pngDir, { recursive: true });
    writeFileSync(path.join(pngDir, `${name}.${lang}.png`), png);
  }
  const encoder = await page.context().newPage();
  try {
    await encoder.setContent('<canvas></canvas>');
    const webp = await encoder.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.querySelector('canvas');
      const context = canvas?.getContext('2d');
      if (canvas === null || canvas === undefined || context === null || context === undefined) throw new Error('no canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      context.drawImage(image, 0, 0);
      return canvas.toDataURL('image/webp', 0.3).split(',')[1] ?? '';
    }, png.toString('base64'));
    writeFileSync(path.join(screenshots, `${name}.${lang}.webp`), Buffer.from(webp, 'base64'));
  } finally {
    await encoder.close();
  }
}

/**
 * The demo authenticator's code for a step this account has not used yet: the server refuses a
 * replayed step, and the suite's files (one process each, one after another) sign in as the same
 * demo users, so the last step used is kept in a file next to the run.
 */
async function demoCode(email: string): Promise<string> {
  const ledger = path.join(tmpdir(), `tierlink-e2e-totp-${new URL(baseUrl()).port}.json`);
  const used = existsSync(ledger) ? (JSON.parse(readFileSync(ledger, 'utf8')) as Record<string, number>) : {};
  const current = Math.floor(Date.now() / 30_000);
  const step = Math.max(current, (used[email] ?? -1) + 1);
  // Codes are accepted one step either side of now: wait until the chosen one is in reach.
  const wait = (step - 1) * 30_000 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + 500));
  writeFileSync(ledger, JSON.stringify({ ...used, [email]: step }));
  return new TOTP({ secret: Secret.fromBase32(demoTotpSeed), digits: 6, period: 30 }).generate({ timestamp: step * 30_000 });
}

export async function signIn(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  // Partner and operator users are asked for their authenticator code: a 401 mfa_required first,
  // which the browser logs before the code field shows, so it is expected before the click.
  const asked = /status of 401/;
  watched.get(page)?.expect(asked);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const signedIn = (url: URL) => url.pathname !== '/sign-in';
  const code = page.getByLabel('Authentication code');
  await Promise.race([code.waitFor().catch(() => undefined), page.waitForURL(signedIn).catch(() => undefined)]);
  if (!(await code.isVisible())) watched.get(page)?.forget(asked);
  else {
    await code.fill(await demoCode(email));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  // "/" is the caller's home dashboard or forwards to its first page: wait until a page's h1 shows.
  await page.waitForURL(signedIn);
  await page.locator('#page-title').waitFor();
}

/**
 * Settings → Multi-factor authentication, as a person with an authenticator app does it: start,
 * read the key, type the current code, keep the recovery codes. One code per fresh user: the server
 * accepts each 30-second step once.
 */
export async function setUpMfa(w: Watched): Promise<void> {
  const page = w.page;
  await page.waitForURL((url) => url.pathname === '/settings/mfa');
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const key = (await page.getByTestId('mfa-secret').textContent())?.trim() ?? '';
  expect(key).toMatch(/^[A-Z2-7]+=*$/);
  const code = new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30 }).generate();
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('list', { name: 'Recovery codes' }).waitFor();
  await checkPage(w);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Switches the portal's language with its own switcher. */
export async function switchLanguage(page: Page, to: 'en' | 'ru'): Promise<void> {
  await page.getByRole('button', { name: /^(Language|Язык):/ }).click();
  await page.getByRole('menuitemradio', { name: to === 'en' ? 'English' : 'Русский' }).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(to);
}

/** Checks a page the way the suite checks every main page: settled, no console errors, axe clean. */
export async function checkPage(w: Watched): Promise<void> {
  await expectAccessible(w.page);
  expectNoConsoleErrors(w);
}

/**
 * Both languages: axe in each and, for the pages named in the README, a screenshot in each; then
 * back to English.
 */
export async function checkBothLanguages(w: Watched, screenshotName?: string): Promise<void> {
  await checkPage(w);
  if (screenshotName !== undefined) await screenshot(w.page, screenshotName, 'en');
  await switchLanguage(w.page, 'ru');
  await expectAccessible(w.page);
  if (screenshotName !== undefined) await screenshot(w.page, screenshotName, 'ru');
  await switchLanguage(w.page, 'en');
  expectNoConsoleErrors(w);
}

/** The newest invitation link addressed to `to`, read from the embedded mailbox page. */
export async function invitationLinkFromMailbox(page: Page, to: string): Promise<string> {
  await page.goto('/mailbox');
  const filter = page.getByLabel('Recipient');
  if ((await filter.count()) > 0) await filter.fill(to);
  const message = page.getByRole('listitem').filter({ hasText: `To ${to}` }).first();
  const link = message.getByRole('link', { name: /\/invitations\// }).first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  if (href === null) throw new Error(`no invitation link for ${to}`);
  return href;
}

export const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}${Math.floor(performance.now()).toString(36)}`;
