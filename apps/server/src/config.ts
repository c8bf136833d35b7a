import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  /** undefined: decide at start (on for an empty embedded database). */
  demo: boolean | undefined;
  bootstrapOperator: { email: string; password: string } | null;
  secretKey: Buffer;
  logLevel: string;
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
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
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
    logLevel: e.LOG_LEVEL,
  };
}

function loadOrCreateKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
  return key;
}
