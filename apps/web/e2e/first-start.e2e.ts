import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, expectNoConsoleErrors, launchBrowser, openPage, signIn, type Watched } from './harness.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const customerAdmin = 'admin@echo-legal.example';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

interface Started {
  port: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The server as a newcomer starts it after cloning: `npm start` with no PUBLIC_URL (the build is
 * already there: the suite's own start made it). Resolves once the demo accounts are printed.
 */
async function start(dataDir: string): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DEMO: 'true' };
  delete env['PUBLIC_URL'];
  const child: ChildProcess = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Demo data is loaded')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start printed no demo accounts in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    const pid = child.pid;
    if (child.exitCode !== null || pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) process.kill(-pid, 'SIGKILL');
  };
  return { port, output: () => output, stop };
}

async function visit(browser: Browser, origin: string): Promise<{ context: BrowserContext; w: Watched }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 700 }, baseURL: origin });
  return { context, w: await openPage(context) };
}

/** The hrefs of the invitation links in the mailbox page's messages to `to` (the demo invited every customer admin). */
async function mailboxLinks(w: Watched, to: string): Promise<string[]> {
  await w.page.goto('/mailbox');
  const message = w.page.getByRole('listitem').filter({ hasText: `To ${to}` }).first();
  const link = message.getByRole('link', { name: /\/invitations\// }).first();
  await link.waitFor();
  const hrefs = await message.getByRole('link', { name: /\/invitations\// }).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs;
}

// Findings 1–3 of a first-time user: the portal must work under both loopback names when
// PUBLIC_URL is not set, the demo mailbox's links must follow the address the portal is opened at
// (also after a restart on another port), and every start on demo data prints the demo accounts.
describe('a first start without PUBLIC_URL', () => {
  let browser: Browser;
  let dataDir = '';
  let server: Started | null = null;

  beforeAll(async () => {
    browser = await launchBrowser();
    dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-first-start-'));
  });
  afterAll(async () => {
    await server?.stop();
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in at localhost and at 127.0.0.1, and the mailbox links open where the portal was opened', async () => {
    server = await start(dataDir);
    expect(server.output()).toContain(customerAdmin);
    for (const host of ['localhost', '127.0.0.1']) {
      const origin = `http://${host}:${server.port}`;
      const { context, w } = await visit(browser, origin);
      await signIn(w.page, customerAdmin);
      expect(new URL(w.page.url()).origin).toBe(origin);
      await w.page.getByRole('heading', { level: 1 }).waitFor();
      const links = await mailboxLinks(w, customerAdmin);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(new URL(link).origin).toBe(origin);
      expectNoConsoleErrors(w);
      await context.close();
    }
  });

  it('a restart on the same data on another port prints the demo accounts again and its links follow the new port', async () => {
    await server?.stop();
    server = await start(dataDir);
    expect(server.output()).toContain(customerAdmin);
    expect(server.output()).toContain('Demo data is loaded');
    const origin = `http://127.0.0.1:${server.port}`;
    const { context, w } = await visit(browser, origin);
    await signIn(w.page, customerAdmin);
    const links = await mailboxLinks(w, customerAdmin);
    for (const link of links) expect(new URL(link).origin).toBe(origin);
    expectNoConsoleErrors(w);
    await context.close();
  });
});

describe('a portal with PUBLIC_URL set', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('tells a visitor at another address which address to open', async () => {
    // The suite's server runs with PUBLIC_URL=http://localhost:PORT; 127.0.0.1 is another origin.
    const configured = new URL(baseUrl());
    const other = `http://127.0.0.1:${configured.port}`;
    const { context, w } = await visit(browser, other);
    await w.page.goto('/sign-in');
    await w.page.getByLabel('Email').fill(customerAdmin);
    await w.page.getByLabel('Password').fill('tierlink-demo');
    w.expect(/status of 403/);
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = w.page.getByRole('alert').filter({ hasText: 'Open the portal at the address below' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain(configured.origin);
    expectNoConsoleErrors(w);
    await context.close();
  });
});
