import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const main = path.join(repositoryRoot, 'apps/server/src/main.ts');
/**
 * Node itself runs the server, with tsx as a loader (`--import tsx`): a signal sent to the process
 * group reaches the server as a supervisor's would. The `tsx` command would stand between them:
 * it relays a signal and, unless the child acknowledges it within 30 ms, kills it with SIGKILL and
 * exits 143, so a server busy for a moment when SIGTERM came (a first answer's serializer being
 * compiled, on a loaded machine) lost its in-flight requests (CRASH-05 failed so once in CI).
 */
const nodeArgs = ['--import', 'tsx', main];

export const operatorEmail = 'ops@crash-operator.test';
export const operatorPassword = 'correct horse battery';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ServerSettings {
  databaseUrl: string;
  port: number;
  /** Fixed across restarts: queued emails are sealed with it. */
  secretKey: string;
  logLevel?: string;
  /** Further variables, over the defaults below (PUBLIC_URL behind a proxy, SMTP_URL, limits, TRUST_PROXY). */
  env?: Record<string, string>;
}

/** Settings for a server on a free port with a fresh secret key. */
export async function serverSettings(databaseUrl: string, logLevel = 'warn'): Promise<ServerSettings> {
  return { databaseUrl, port: await freePort(), secretKey: randomBytes(32).toString('hex'), logLevel };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The real server, `tsx apps/server/src/main.ts`, as its own process group: tsx runs the app in a
 * child process, so signals go to the group (as a supervisor would send them), never to tsx alone.
 */
export class ServerProcess {
  readonly base: string;
  #output = '';
  readonly exited: Promise<Exit>;
  #exit: Exit | null = null;
  readonly #dataDir: string;

  private constructor(
    readonly settings: ServerSettings,
    readonly child: ChildProcess,
    dataDir: string,
  ) {
    this.base = `http://127.0.0.1:${settings.port}`;
    this.#dataDir = dataDir;
    child.stdout?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.#exit = { code, signal };
        rmSync(this.#dataDir, { recursive: true, force: true });
        resolve({ code, signal });
      }),
    );
  }

  /** Starts the server and waits until /healthz answers (generous: the machine is shared and slow). */
  static async start(settings: ServerSettings, timeoutMs = 180_000): Promise<ServerProcess> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tierlink-crash-'));
    const base = `http://127.0.0.1:${settings.port}`;
    const child = spawn(process.execPath, nodeArgs, {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        DATABASE_URL: settings.databaseUrl,
        PORT: String(settings.port),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        DATA_DIR: dataDir,
        DEMO: 'false',
        SECRET_KEY: settings.secretKey,
        BOOTSTRAP_OPERATOR_EMAIL: operatorEmail,
        BOOTSTRAP_OPERATOR_PASSWORD: operatorPassword,
        LOG_LEVEL: settings.logLevel ?? 'warn',
        // The load's one reseller invites a customer per chain, many more an hour than a tenant's
        // quota (50): quotas are not what the crash suites test (RATE-02 does).
        INVITATIONS_PER_ORGANIZATION_PER_HOUR: '100000',
        // Nor is load shedding (load-shedding.test.ts is): bursts of a hundred requests must be
        // worked on, not answered 503 overloaded after waiting for one of the default 10 slots.
        MAX_IN_FLIGHT: '1000',
        ...settings.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const server = new ServerProcess(settings, child, dataDir);
    await server.waitHealthy(timeoutMs);
    return server;
  }

  get output(): string {
    return this.#output;
  }

  get running(): boolean {
    return this.#exit === null;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('server process has no pid');
    return this.child.pid;
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.#exit !== null) throw new Error(`server exited (${JSON.stringify(this.#exit)}) before answering:\n${this.#output.slice(-4000)}`);
      try {
        const response = await fetch(`${this.base}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not answer /healthz in time:\n${this.#output.slice(-4000)}`);
      await pause(100);
    }
  }

  /** Signals the whole process group. */
  signal(signal: NodeJS.Signals): void {
    if (this.#exit !== null) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // already gone
    }
  }

  /** `kill -9` of every process of the server: no handler runs, nothing is flushed. */
  async kill9(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Waits until `count` lines of the server's output contain `text` (count-based, no sleeping guesses). */
  async waitForOutput(text: string, count = 1, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#output.split(text).length - 1 < count) {
      if (Date.now() > deadline) throw new Error(`"${text}" did not appear ${count}× in the server output:\n${this.#output.slice(-4000)}`);
      await pause(20);
    }
  }
}
