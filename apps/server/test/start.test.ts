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
    child = spawn('npm', ['start'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exitCode = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
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
    const totpCode = new TOTP({ secret: Secret.fromBase32(demoTotpSeed), digits: 6, period: 30 }).generate();
    const signIn = await fetch(`${base}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'admin@alder-it.example', password: 'tierlink-demo', totpCode }),
    });
    expect(signIn.status).toBe(201);
    const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
    const customers = await fetch(`${base}/api/v1/customers`, { headers: { cookie } });
    const body = (await customers.json()) as { items: { name: string }[] };
    expect(body.items.map((c) => c.name)).toContain('Delta Dental Group');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('tierlink_http_request_duration_seconds');
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
});
