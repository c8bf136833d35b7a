import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';
import { checkPage, launchBrowser, newPerson, openPage, signIn, switchLanguage, toast, type Watched } from './harness.ts';

/** A demo partner admin whose organization no other browser test subscribes. */
const adminEmail = 'admin@birch-systems.example';

interface Received {
  path: string;
  headers: { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
  body: string;
  /** What the receiver answered. */
  status: number;
}

/** A receiver on 127.0.0.1 (the server under test runs with WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true). */
class Receiver {
  readonly received: Received[] = [];
  status = 200;
  answer = 'ok';
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const header = (name: string) => String(request.headers[name] ?? '');
      this.received.push({
        path: request.url ?? '',
        headers: { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') },
        body: Buffer.concat(chunks).toString('utf8'),
        status: this.status,
      });
      response.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.answer);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The messages sent to `path` so far, once there are at least `count`. */
  async waitFor(path: string, count: number): Promise<Received[]> {
    await expect.poll(() => this.received.filter((r) => r.path === path).length, { timeout: 30_000, interval: 200 }).toBeGreaterThanOrEqual(count);
    return this.received.filter((r) => r.path === path);
  }
}

type Body = { type: string; data: { endpointId: string }; organizationId: string; actor: unknown };

describe('webhooks: Settings → Webhooks, end to end with a real receiver', () => {
  let browser: Browser;
  let w: Watched;
  const receiver = new Receiver();
  let origin = '';

  beforeAll(async () => {
    origin = await receiver.start();
    browser = await launchBrowser();
    w = await openPage(await newPerson(browser));
    await signIn(w.page, adminEmail);
  });
  afterAll(async () => {
    await browser.close();
    await receiver.stop();
  });

  for (const lang of ['en', 'ru'] as const) {
    it(`${lang}: create (secret once), test, a failed attempt and Retry, rotate, disable and enable, edit`, { timeout: 150_000 }, async () => {
      const page = w.page;
      const dictionary = lang === 'en' ? en : ru;
      const t = (key: MessageKey, vars: Record<string, string> = {}): string => {
        const message = dictionary[key];
        const template = typeof message === 'string' ? message : message.other;
        return template.replace(/\{(\w+)\}/g, (match, name: string) => vars[name] ?? match);
      };
      const path = `/hooks/${lang}`;
      const url = `${origin}${path}`;

      await page.goto('/');
      if (lang === 'ru') await switchLanguage(page, 'ru');
      await page.getByRole('link', { name: t('nav.webhooks'), exact: true }).click();
      await page.getByRole('heading', { name: t('nav.webhooks'), level: 1 }).waitFor();

      // Create: problems sit at their fields (checked before sending), then the secret shows once.
      await page.getByRole('button', { name: t('webhooks.create') }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(t('webhooks.url')).fill('not an address');
      await dialog.getByRole('radio', { name: t('webhooks.events.selected') }).check();
      await dialog.getByRole('button', { name: t('webhooks.create.submit'), exact: true }).click();
      await dialog.getByText(t('field.url.invalid')).waitFor();
      await dialog.getByText(t('webhooks.events.none')).waitFor();
      await checkPage(w);
      await dialog.getByLabel(t('webhooks.url')).fill(url);
      await dialog.getByLabel(t('webhooks.descriptionField')).fill(`Receiver ${lang}`);
      // Each type in the picker comes with its description from the catalog.
      await dialog.getByText(t('eventType.subscription.created')).waitFor();
      await dialog.getByRole('checkbox', { name: 'subscription.created' }).check();
      await dialog.getByRole('checkbox', { name: 'order.completed' }).check();
      await dialog.getByRole('button', { name: t('webhooks.create.submit'), exact: true }).click();
      await dialog.getByRole('heading', { name: t('webhooks.created.title') }).waitFor();
      const secret = await dialog.getByLabel(t('webhooks.secret')).inputValue();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      await dialog.getByRole('button', { name: t('webhooks.secret.copy') }).click();
      await toast(page, t('webhooks.secret.copied'));
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await checkPage(w);
      await dialog.getByRole('button', { name: t('users.done') }).click();
      await dialog.waitFor({ state: 'detached' });
      // Closing forgets it: the secret is nowhere on the page any more.
      expect(await page.content()).not.toContain(secret);

      const row = page.getByRole('row').filter({ hasText: url });
      await row.getByText('order.completed, subscription.created').or(row.getByText('subscription.created, order.completed')).waitFor();
      await row.getByText(t('webhooks.status.enabled')).waitFor();
      await row.getByRole('link', { name: t('webhooks.open.label', { url }) }).click();
      await page.getByRole('heading', { name: t('webhooks.endpoint'), level: 1 }).waitFor();
      await page.getByText(t('webhooks.deliveries.empty')).waitFor();

      // A test event: signed with the secret shown, logged as delivered.
      await page.getByRole('button', { name: t('webhooks.test') }).click();
      await toast(page, t('webhooks.test.done', { url }));
      const [first] = await receiver.waitFor(path, 1);
      if (first === undefined) throw new Error('no test event');
      const body = new Webhook(secret).verify(first.body, first.headers) as Body;
      expect(body.type).toBe('webhook.test');
      expect(body.organizationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(page.url()).toContain(body.data.endpointId);
      const log = page.getByRole('table', { name: t('webhooks.deliveries') });
      const newest = log.getByRole('row').nth(1);
      await newest.filter({ hasText: 'webhook.test' }).filter({ hasText: t('deliveryStatus.succeeded') }).waitFor();

      // The receiver fails: the attempt is logged with its status and the start of the answer.
      receiver.status = 500;
      receiver.answer = `receiver is down (${lang})`;
      await page.getByRole('button', { name: t('webhooks.test') }).click();
      await toast(page, t('webhooks.test.done', { url }));
      // The first retry follows after about five seconds; the next one only after minutes.
      const failed = (await receiver.waitFor(path, 3)).slice(1);
      const failedId = failed[0]?.headers['webhook-id'];
      expect(failed.every((r) => r.headers['webhook-id'] === failedId && r.status === 500)).toBe(true);
      await newest.filter({ hasText: t('deliveryStatus.pending') }).waitFor();
      await newest.getByRole('button', { name: /: webhook\.test, / }).click();
      const details = log.getByRole('row').nth(2);
      await details.getByText(`${failedId}`).waitFor();
      await details.getByText(t('webhooks.attempt.http', { status: '500' })).first().waitFor();
      await details.getByRole('region').filter({ hasText: `receiver is down (${lang})` }).first().waitFor();
      await checkPage(w);
      // Only the failed ones.
      await page.getByLabel(t('webhooks.deliveries.filter')).selectOption({ label: t('deliveryStatus.pending') });
      await expect.poll(() => log.getByRole('row').filter({ hasText: 'webhook.test' }).count()).toBe(1);
      await page.getByLabel(t('webhooks.deliveries.filter')).selectOption({ label: t('webhooks.deliveries.all') });

      // Retry sends it again now, under the same webhook-id, and it is delivered.
      receiver.status = 200;
      await log.getByRole('row').nth(1).getByRole('button', { name: new RegExp(`^${t('webhooks.retry')}`) }).click();
      await toast(page, t('webhooks.retry.done'));
      const retried = (await receiver.waitFor(path, 4))[3];
      expect(retried?.headers['webhook-id']).toBe(failedId);
      expect(retried?.status).toBe(200);
      new Webhook(secret).verify(retried?.body ?? '', retried?.headers ?? first.headers);
      await log.getByRole('row').nth(1).filter({ hasText: t('deliveryStatus.succeeded') }).waitFor();

      // Rotate: confirmed with the overlap explained; the new secret is shown once, and both sign for now.
      await page.getByRole('button', { name: t('webhooks.rotate') }).click();
      await dialog.getByText(t('webhooks.rotate.text')).waitFor();
      await dialog.getByRole('button', { name: t('webhooks.rotate.submit'), exact: true }).click();
      await dialog.getByRole('heading', { name: t('webhooks.rotated.title') }).waitFor();
      const rotated = await dialog.getByLabel(t('webhooks.secret')).inputValue();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await dialog.getByRole('button', { name: t('users.done') }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText(t('webhooks.previousSecret', { time: '' }).replace(/[.\s]+$/, '')).waitFor();
      await page.getByRole('button', { name: t('webhooks.test') }).click();
      const signedTwice = (await receiver.waitFor(path, 5))[4];
      if (signedTwice === undefined) throw new Error('no message after the rotation');
      expect(signedTwice.headers['webhook-signature'].split(' ')).toHaveLength(2);
      new Webhook(rotated).verify(signedTwice.body, signedTwice.headers);
      new Webhook(secret).verify(signedTwice.body, signedTwice.headers);

      // Switched off and on again.
      const enabled = page.getByRole('switch', { name: t('webhooks.enabled') });
      await enabled.uncheck();
      await toast(page, t('webhooks.disabled.done', { url }));
      await page.getByText(t('webhooks.status.disabled'), { exact: true }).waitFor();
      await enabled.check();
      await toast(page, t('webhooks.enabled.done', { url }));
      await page.getByText(t('webhooks.status.enabled'), { exact: true }).waitFor();
      await checkPage(w);

      // Edit starts from the endpoint as it is.
      await page.getByRole('button', { name: t('webhooks.edit'), exact: true }).click();
      expect(await dialog.getByLabel(t('webhooks.url')).inputValue()).toBe(url);
      expect(await dialog.getByRole('checkbox', { name: 'order.completed' }).isChecked()).toBe(true);
      await dialog.getByLabel(t('webhooks.descriptionField')).fill(`Receiver ${lang}, edited`);
      await dialog.getByRole('button', { name: t('webhooks.edit.submit'), exact: true }).click();
      await toast(page, t('webhooks.edit.done'));
      await page.getByText(`Receiver ${lang}, edited`).waitFor();

      if (lang === 'ru') {
        // Delete, confirmed: back to the list, without it.
        await page.getByRole('button', { name: t('webhooks.delete') }).click();
        await page.getByRole('alertdialog').getByRole('button', { name: t('webhooks.delete') }).click();
        await toast(page, t('webhooks.delete.done', { url }));
        await page.getByRole('heading', { name: t('nav.webhooks'), level: 1 }).waitFor();
        await expect.poll(() => page.getByRole('row').filter({ hasText: url }).count()).toBe(0);
        await checkPage(w);
        await switchLanguage(page, 'en');
      }
    });
  }
});
