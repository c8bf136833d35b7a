import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repositoryRoot } from './crash/server-process.ts';

/*
 * The server's stdout and stderr are pipes its parent may stop reading (a full pipe) or close
 * (EPIPE). Neither may stop it from serving, and SIGTERM must still end it with status 0 within
 * the shutdown deadline (20 s) instead of leaving it hanging until SIGKILL.
 */

const main = path.join(repositoryRoot, 'apps/server/dist/main.mjs');

async function healthy(base: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${base} did not answer in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Started {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

const started: { child: ChildProcess; dataDir: string }[] = [];

async function start(): Promise<Started> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-stdout-'));
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info', DEMO: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dataDir });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, base: `http://127.0.0.1:${port}`, exited };
}

async function stopsWithin(server: Started, ms: number): Promise<number | null | 'still running'> {
  server.child.kill('SIGTERM');
  return Promise.race([server.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms))]);
}

describe('a server whose stdout nobody reads', () => {
  beforeAll(() => {
    const built = spawnSync(process.execPath, [path.join(repositoryRoot, 'apps/server/scripts/ensure-built.mjs')], { stdio: 'inherit' });
    expect(built.status).toBe(0);
  }, 300_000);

  afterEach(() => {
    for (const { child, dataDir } of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps serving while the pipe is full, and stops with status 0 on SIGTERM', async () => {
    const server = await start();
    // Never read: the pipe (and the parent's buffer) fill up with request log lines.
    server.child.stdout?.pause();
    server.child.stderr?.pause();
    await healthy(server.base, Date.now() + 60_000);
    const padding = 'x'.repeat(8000);
    for (let i = 0; i < 200; i += 1) expect((await fetch(`${server.base}/healthz?pad=${padding}`)).status).toBe(200);
    expect((await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(2000) })).status).toBe(200);
    expect(await stopsWithin(server, 15_000)).toBe(0);
  }, 120_000);

  it('keeps serving after its reader closed the pipes (EPIPE), and stops with status 0 on SIGTERM', async () => {
    const server = await start();
    server.child.stdout?.destroy();
    server.child.stderr?.destroy();
    await healthy(server.base, Date.now() + 60_000);
    // Long enough for the start banner and some log lines to meet the closed pipe.
    for (let i = 0; i < 20; i += 1) expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(2000) })).status).toBe(200);
    expect(await stopsWithin(server, 15_000)).toBe(0);
  }, 120_000);
});
