import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { root, type Who } from './server.ts';

export const bin = path.join(root, 'packages/cli/bin/tierlink.mjs');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temporary XDG_CONFIG_HOME for one test file: its profiles never touch the real home. */
export function configHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'tierlink-cli-config-'));
}

/** The child's environment: no inherited TIERLINK_* or colour settings, a private config home. */
export function cliEnv(xdg: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: xdg, ...extra };
  for (const name of ['TIERLINK_URL', 'TIERLINK_API_KEY', 'TIERLINK_PROFILE', 'FORCE_COLOR']) if (!(name in extra)) delete env[name];
  return env;
}

export interface Running {
  child: ChildProcess;
  /** Output so far; read it while the command runs. */
  output: { stdout: string; stderr: string };
  done: Promise<Result>;
}

/** Starts `tierlink ARGS` (the real bin, through node) and collects its output. */
export function start(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Running {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  const done = new Promise<Result>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ...output })));
  return { child, output, done };
}

export function run(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<Result> {
  return start(args, env, input).done;
}

/** Waits (bounded) until `ready` holds, e.g. until the child printed something. */
export async function until(ready: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const baseUrl = (): string => inject('baseUrl');
export const keyOf = (who: Who): string => inject('keys')[who];

/** Stores a profile per demo key (the reseller Alder IT Services as "default") in `xdg`, through `tierlink login`. */
export async function loginAll(xdg: string): Promise<void> {
  for (const [who, profile] of [['reseller', 'default'], ['provider', 'provider'], ['operator', 'operator'], ['importer', 'importer']] as const) {
    const result = await run(['login', '--url', baseUrl(), '--api-key', keyOf(who), '--profile', profile], cliEnv(xdg));
    if (result.code !== 0) throw new Error(`login ${who}: ${result.stderr}`);
  }
}

export function json<T>(result: Result): T {
  return JSON.parse(result.stdout) as T;
}
