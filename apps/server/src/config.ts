import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultInFlightLimit, type InFlightLimit } from './platform/http/load-shedding.ts';

const Bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Tierlink <no-reply@tierlink.local>'),
  DEMO: Bool.optional(),
  BOOTSTRAP_OPERATOR_EMAIL: z.string().email().optional(),
  BOOTSTRAP_OPERATOR_PASSWORD: z.string().min(8).max(128).optional(),
  /** 64 hex characters; seals queued emails. Generated into DATA_DIR when absent. */
  SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i).optional(),
  /** Keys SECRET_KEY replaced, comma-separated: still open what they sealed (see docs/identity.md, key rotation). */
  SECRET_KEY_PREVIOUS: z.string().regex(/^\s*[0-9a-f]{64}\s*(,\s*[0-9a-f]{64}\s*)*$/i, 'comma-separated keys of 64 hex characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Invitations one organization may create in an hour (re-sends count). */
  INVITATIONS_PER_ORGANIZATION_PER_HOUR: z.coerce.number().int().min(1).default(50),
  /** Invitations one organization may send to one email address in a day. */
  INVITATIONS_PER_RECIPIENT_PER_DAY: z.coerce.number().int().min(1).default(3),
  /** Wrong or unknown tokens and MFA codes one client address may send in a minute. */
  TOKEN_GUESSES_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /**
   * Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed, comma-separated
   * (`10.0.0.1,192.168.0.0/16`). Empty (the default): the client is the socket's address.
   */
  TRUST_PROXY: z.string().default(''),
  /** Development and tests only: webhooks may target plain http and private, loopback and link-local addresses. */
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: Bool.default(false),
  /** PostgreSQL connections this process opens (PGlite has one). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Requests worked on at once; beyond them 503 `overloaded` (docs/deployment.md). Default: the pool size. */
  MAX_IN_FLIGHT: z.coerce.number().int().min(1).optional(),
  /** How long a request beyond MAX_IN_FLIGHT may wait for a slot (1000 wait at most, newest served first) before its 503; 0: refused at once. Default 500. */
  IN_FLIGHT_QUEUE_MS: z.coerce.number().int().min(0).max(10_000).optional(),
  /**
   * What this process runs (docs/deployment.md, "Process roles"): `all` the API, the portal and the
   * background tasks; `api` the API and the portal only; `worker` the background tasks only, with
   * /healthz, /readyz and /metrics. `api` and `worker` need PostgreSQL.
   */
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /**
   * A port of its own for /healthz and /readyz, answered by a thread that never waits behind the
   * requests' work (docs/deployment.md, "Health port"); on HOST. Unset: none; 0: a free port.
   */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/** What a process runs: everything, requests only, or background tasks only. */
export type ProcessRole = 'all' | 'api' | 'worker';

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** False when PUBLIC_URL was left out: the portal then also answers under every loopback name. */
  publicUrlConfigured: boolean;
  dataDir: string;
  databaseUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** undefined: decide at start (on for an empty embedded database). */
  demo: boolean | undefined;
  bootstrapOperator: { email: string; password: string } | null;
  secretKey: Buffer;
  previousSecretKeys: Buffer[];
  logLevel: string;
  invitationQuota: InvitationQuota;
  /** Token-guessing endpoints (RATE-03): wrong tokens per client address and minute. */
  guessLimit: { limit: number };
  /** Trusted reverse proxies (addresses or CIDRs); empty: X-Forwarded-For is ignored. */
  trustProxy: string[];
  /** Where webhooks may be sent (https to public addresses unless private networks are allowed). */
  webhooks: { allowPrivateNetworks: boolean };
  /** PostgreSQL pool size. */
  databasePoolSize: number;
  /** Load shedding: the in-flight bound and its short queue. */
  inFlight: InFlightLimit;
  /** PROCESS_ROLE: `api` and `worker` only on PostgreSQL (`checkProcessRole`). */
  role: ProcessRole;
  /** HEALTH_PORT: null, no health port. */
  healthPort: number | null;
}

/** Abuse limits of invitation emails (RATE-02). */
export interface InvitationQuota {
  perOrganizationPerHour: number;
  perRecipientPerDay: number;
}

/** The only reader of process.env. Throws a readable message for every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if ((e.BOOTSTRAP_OPERATOR_EMAIL === undefined) !== (e.BOOTSTRAP_OPERATOR_PASSWORD === undefined)) {
    throw new Error('Invalid configuration: set both BOOTSTRAP_OPERATOR_EMAIL and BOOTSTRAP_OPERATOR_PASSWORD, or neither');
  }
  checkProcessRole(e.PROCESS_ROLE, e.DATABASE_URL ?? null);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicUrlConfigured: e.PUBLIC_URL !== undefined,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? null,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    demo: e.DEMO,
    bootstrapOperator:
      e.BOOTSTRAP_OPERATOR_EMAIL !== undefined && e.BOOTSTRAP_OPERATOR_PASSWORD !== undefined
        ? { email: e.BOOTSTRAP_OPERATOR_EMAIL.toLowerCase(), password: e.BOOTSTRAP_OPERATOR_PASSWORD }
        : null,
    secretKey: e.SECRET_KEY !== undefined ? Buffer.from(e.SECRET_KEY, 'hex') : loadOrCreateKey(e.DATA_DIR),
    previousSecretKeys: (e.SECRET_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '').map((k) => Buffer.from(k, 'hex')),
    logLevel: e.LOG_LEVEL,
    invitationQuota: { perOrganizationPerHour: e.INVITATIONS_PER_ORGANIZATION_PER_HOUR, perRecipientPerDay: e.INVITATIONS_PER_RECIPIENT_PER_DAY },
    guessLimit: { limit: e.TOKEN_GUESSES_PER_IP_PER_MINUTE },
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    webhooks: { allowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS },
    databasePoolSize: e.DATABASE_POOL_SIZE,
    inFlight: inFlightLimitOf(e.DATABASE_POOL_SIZE, e.MAX_IN_FLIGHT, e.IN_FLIGHT_QUEUE_MS),
    role: e.PROCESS_ROLE,
    healthPort: e.HEALTH_PORT ?? null,
  };
}

/**
 * `api` and `worker` split one deployment into processes sharing a database: the embedded database
 * (PGlite, no DATABASE_URL) belongs to one process, which must then run everything.
 */
export function checkProcessRole(role: ProcessRole, databaseUrl: string | null): void {
  if (role !== 'all' && databaseUrl === null) {
    throw new Error(
      `Invalid configuration:\n  PROCESS_ROLE: "${role}" needs PostgreSQL (DATABASE_URL); the embedded database (PGlite) is opened by one process only, which runs everything (PROCESS_ROLE=all)`,
    );
  }
}

function inFlightLimitOf(poolSize: number, maxInFlight: number | undefined, queueMs: number | undefined): InFlightLimit {
  const limit = defaultInFlightLimit(poolSize);
  const max = maxInFlight ?? limit.maxInFlight;
  return { ...limit, maxInFlight: max, queueMs: queueMs ?? limit.queueMs };
}

/** `10.0.0.1, 192.168.0.0/16` → the entries, each checked to be an IPv4/IPv6 address or CIDR. */
export function parseTrustProxy(value: string): string[] {
  const entries = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const version = isIP(address);
    const maxBits = version === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (version === 0 || !bitsOk || rest.length > 0) {
      throw new Error(`Invalid configuration:\n  TRUST_PROXY: "${entry}" is not an IP address or CIDR range`);
    }
  }
  return entries;
}

function loadOrCreateKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}
