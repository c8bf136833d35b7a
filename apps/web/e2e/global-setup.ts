import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let child: ChildProcess | null = null;
let dataDir = '';

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

/** `npm start` exactly as a newcomer runs it (it builds the portal if needed), on a fresh embedded database. */
export async function setup(project: TestProject): Promise<void> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-browser-'));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  let output = '';
  const started = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: baseUrl, LOG_LEVEL: 'warn', DEMO: 'true', WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child = started;
  started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  // The demo accounts are printed once the demo data is committed.
  while (!output.includes('Demo data is loaded')) {
    if (started.exitCode !== null) throw new Error(`npm start exited with ${started.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not load the demo data in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide('baseUrl', baseUrl);
}

export async function teardown(): Promise<void> {
  const pid = child?.pid;
  if (child !== null && child.exitCode === null && pid !== undefined) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    // npm does not forward signals: stop the whole process group.
    process.kill(-pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) process.kill(-pid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}
