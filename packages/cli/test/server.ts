import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret, TOTP } from 'otpauth';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The demo accounts' password and authenticator seed (apps/server/src/demo/seed.ts). */
const demoPassword = 'tierlink-demo';
const demoTotpSeed = 'TIERLINKDEMOTIERLINKDEMOTIERLINK';

export const demoEmails = {
  operator: 'operator@tierlink.example',
  reseller: 'admin@alder-it.example',
  provider: 'admin@meridian-distribution.example',
  /** The import test's partner: its customers do not crowd the other tests' lists. */
  importer: 'admin@birch-systems.example',
} as const;
export type Who = keyof typeof demoEmails;

export interface RunningServer {
  baseUrl: string;
  keys: Record<Who, string>;
  stop: () => Promise<void>;
}

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

/** Signs a demo user in (password + current TOTP code; each user once per server) and makes an API key with its roles. */
async function apiKeyOf(baseUrl: string, email: string): Promise<string> {
  const totpCode = new TOTP({ secret: Secret.fromBase32(demoTotpSeed), digits: 6, period: 30 }).generate();
  const headers = { 'content-type': 'application/json', origin: baseUrl };
  const signIn = await fetch(`${baseUrl}/api/v1/sessions`, { method: 'POST', headers, body: JSON.stringify({ email, password: demoPassword, totpCode }) });
  if (signIn.status !== 201) throw new Error(`sign-in of ${email}: ${signIn.status} ${await signIn.text()}`);
  const cookie = signIn.headers.get('set-cookie')?.split(';')[0] ?? '';
  const me = (await (await fetch(`${baseUrl}/api/v1/me`, { headers: { cookie } })).json()) as { user: { roles: string[] } };
  const created = await fetch(`${baseUrl}/api/v1/api-keys`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({ name: `cli tests (${email})`, roles: me.user.roles }),
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`api key of ${email}: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { secret: string }).secret;
}

/** The bundled server (as `npm start` runs it) on a fresh embedded database with demo data, on loopback, sending webhooks to loopback. */
export async function startServer(): Promise<RunningServer> {
  const built = spawnSync(process.execPath, [path.join(root, 'apps/server/scripts/ensure-built.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`server build failed:\n${built.stdout}\n${built.stderr}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-cli-server-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'apps/server/dist/main.mjs')], {
    cwd: root,
    // `webhooks listen` subscribes a listener on loopback, which only this flag lets the server send to.
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl, DEMO: 'true', LOG_LEVEL: 'warn', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 120_000;
    while (!output.includes('Demo data is loaded')) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the server did not load the demo data in time:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const keys = {} as Record<Who, string>;
    for (const who of Object.keys(demoEmails) as Who[]) keys[who] = await apiKeyOf(baseUrl, demoEmails[who]);
    return { baseUrl, keys, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
