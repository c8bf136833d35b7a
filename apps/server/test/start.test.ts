import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { demoTotpSeed } from '../src/demo/seed.ts';
import { createTestDatabase, engine, type TestDatabase } from './database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

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

async function waitFor(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function npmStart(env: Record<string, string>, onOutput: (text: string) => void): { child: ChildProcess; exitCode: Promise<number | null> } {
  const child = spawn('npm', ['start'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  return { child, exitCode: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

function currentCode(): string {
  return new TOTP({ secret: Secret.fromBase32(demoTotpSeed), digits: 6, period: 30 }).generate();
}

// `npm start` exactly as the README says: on a fresh embedded database, or (PostgreSQL run) on an
// empty PostgreSQL database with demo data asked for.
describe(`npm start on an empty ${engine} database`, () => {
  let child: ChildProcess;
  let output = '';
  let base = '';
  let dataDir = '';
  let exitCode: Promise<number | null>;
  let database: TestDatabase | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-start-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = { DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: 'info' };
    if (engine === 'postgres') {
      database = await createTestDatabase();
      env['DATABASE_URL'] = database.url ?? '';
      env['DEMO'] = 'true';
    }
    ({ child, exitCode } = npmStart(env, (text) => (output += text)));
  });

  afterAll(async () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('answers /healthz, prints the demo accounts, serves them, and stops cleanly on SIGTERM', async () => {
    const health = await waitFor(`${base}/healthz`, Date.now() + 30_000);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The demo data is written after the server listens; the hints follow it.
    const deadline = Date.now() + 60_000;
    while (!output.includes('Demo data is loaded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('operator@tierlink.example');
    expect(output).toContain('tierlink-demo');
    expect(output).toContain(demoTotpSeed);

    // A demo partner signs in with the printed password and a code from the printed MFA key.
    const totpCode = currentCode();
    const signIn = await fetch(`${base}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'admin@alder-it.example', password: 'tierlink-demo', totpCode }),
    });
    expect(signIn.status).toBe(201);
    // PUBLIC_URL is set: another origin is refused with the address to use.
    const elsewhere = await fetch(`${base}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base.replace('127.0.0.1', 'localhost') },
      body: JSON.stringify({ email: 'admin@alder-it.example', password: 'tierlink-demo' }),
    });
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { detail: string }).detail).toContain(`Open Tierlink at ${base}:`);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const customers = await fetch(`${base}/api/v1/customers`, { headers: { cookie } });
    const body = (await customers.json()) as { items: { name: string }[] };
    expect(body.items.map((c) => c.name)).toContain('Delta Dental Group');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('tierlink_http_request_duration_seconds');
    // The credit-exposure sweep's finding (it runs at start): the demo's counters equal their sums.
    expect(metrics).toMatch(/^tierlink_credit_exposure_drift_lines 0$/m);
    if (engine === 'pglite') {
      // The embedded cluster is a copy of the build's template (which keeps only the `postgres`
      // database; initdb makes three), beside the sealing key generated first into the same folder.
      expect(readdirSync(path.join(dataDir, 'base'))).toHaveLength(1);
      expect(existsSync(path.join(dataDir, 'secret.key'))).toBe(true);
    }

    if (child.pid === undefined) throw new Error('no pid');
    // npm does not forward signals; a supervisor signals the whole process group, as here.
    process.kill(-child.pid, 'SIGTERM');
    await exitCode;
    const stopped = Date.now() + 10_000;
    while (!output.includes('"exit":0') && Date.now() < stopped) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('shutting down');
    expect(output).toContain('"exit":0');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  // A second start on the same data folder, on another port and without PUBLIC_URL (PGlite: the
  // data folder is the database): the demo accounts and the MFA key are printed again, both
  // loopback names sign in, and the mailbox's links lead to the address it is read from.
  it.runIf(engine === 'pglite')('starts again on the data folder on another port without PUBLIC_URL', async () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exitCode;
    const port = await freePort();
    let again = '';
    const restarted = npmStart({ DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }, (text) => (again += text));
    child = restarted.child;
    exitCode = restarted.exitCode;
    const base2 = `http://127.0.0.1:${port}`;
    await waitFor(`${base2}/healthz`, Date.now() + 30_000);
    const printed = Date.now() + 30_000;
    while (!again.includes(demoTotpSeed) && Date.now() < printed) await new Promise((r) => setTimeout(r, 100));
    expect(again).toContain('operator@tierlink.example');
    expect(again).toContain(demoTotpSeed);

    let cookie = '';
    // One user per sign-in: a code is accepted once.
    const users = { [base2]: 'admin@meridian-distribution.example', [`http://localhost:${port}`]: 'operator@tierlink.example' };
    for (const [origin, email] of Object.entries(users)) {
      const signIn = await fetch(`${origin}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email, password: 'tierlink-demo', totpCode: currentCode() }),
      });
      expect(signIn.status, origin).toBe(201);
      cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    }
    const mailbox = (await (await fetch(`${base2}/api/v1/mailbox?limit=100`, { headers: { cookie } })).json()) as { items: { text: string }[] };
    const links = mailbox.items.flatMap((m) => m.text.match(/https?:\/\/\S+\/invitations\/\S+/g) ?? []);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${base2}/invitations/`), link).toBe(true);
    // Another origin is still refused, naming the loopback addresses.
    const foreign = await fetch(`${base2}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ email: 'admin@alder-it.example', password: 'tierlink-demo' }),
    });
    expect(((await foreign.json()) as { detail: string }).detail).toContain(`http://127.0.0.1:${port}`);
  });
});
