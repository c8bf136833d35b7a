import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { LightMyRequestResponse } from 'fastify';
import type { SQL } from 'drizzle-orm';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { GuardSwitch } from '../src/platform/http/access.ts';
import type { App } from '../src/platform/http/routes.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createSmtpSender } from '../src/platform/mail.ts';
import { createOutboxRelay } from '../src/platform/outbox-relay.ts';
import { createSealer, type Sealer } from '../src/platform/seal.ts';
import { runInTransaction, type UnitOfWorkDeps } from '../src/platform/unit-of-work.ts';
import type { InvitationQuota } from '../src/modules/invitations/index.ts';
import type { InFlightLimit } from '../src/platform/http/load-shedding.ts';
import { mailboxDelivery } from '../src/modules/notifications/index.ts';
import { bootstrapOperator } from '../src/modules/organizations/index.ts';
import { createWebhookDelivery, fanOutEvent, type PublishedEvent } from '../src/modules/webhooks/index.ts';
import { createTestDatabase, engine, type TestDatabase } from './database.ts';
import { captureLine, recordSecret } from './log-capture.ts';
import { countServerErrors } from './proof-counts.ts';

export const publicUrl = 'http://tierlink.test';
export const password = 'correct horse battery';
recordSecret(password);
/** Sender of every email when a test delivers over SMTP. */
export const mailFrom = 'Tierlink <no-reply@tierlink.test>';

export interface TestContext {
  app: App;
  db: Database;
  database: TestDatabase;
  engine: typeof engine;
  clock: ManualClock;
  sealer: Sealer;
  uow: UnitOfWorkDeps;
  /**
   * Delivers every due outbox message: emails to the embedded mailbox (or over SMTP when `smtpUrl`
   * was given), events to the webhook fan-out. Answers how many emails went out.
   */
  drainOutbox(): Promise<number>;
  /** Makes every due webhook delivery attempt (after `drainOutbox` fanned the events out). */
  drainWebhooks(): Promise<number>;
  /** An anonymous client; sign in with `signIn`. */
  client(): Client;
  close(): Promise<void>;
}

/** Abuse limits other than the defaults, and trusted proxies (none by default), as configuration sets them. */
export interface TestLimits {
  invitationQuota?: InvitationQuota;
  guessLimit?: { limit: number };
  trustProxy?: string[];
  /** Load shedding: a tiny bound lets a test fill it with a few held requests. */
  inFlight?: InFlightLimit;
}

/**
 * The in-flight bound of every test app unless a test sets its own: suites fire bursts of
 * concurrent requests at one in-process database, which the default bound (10, then 500 ms of
 * waiting) could turn into 503s on a slow machine. load-shedding.test.ts tests the bound itself.
 */
const unshedLimit: InFlightLimit = { maxInFlight: 10_000, maxQueued: 0, queueMs: 0, retryAfterSeconds: 1 };

/** A real app on a real, fresh database; nothing of our own is mocked. */
export async function createTestContext(
  options: {
    poolSize?: number;
    logLevel?: string;
    logSink?: (line: string) => void;
    smtpUrl?: string;
    guardSwitch?: GuardSwitch;
    limits?: TestLimits;
    /** Webhooks to loopback receivers are allowed unless a test checks the refusals (false). */
    webhooksAllowPrivateNetworks?: boolean;
  } = {},
): Promise<TestContext> {
  const database = await createTestDatabase(options);
  const db = database.handle.db;
  const clock = new ManualClock(new Date('2026-11-02T09:00:00Z'));
  const sealer = recordedSealer();
  // Every app logs, into the file's capture, which is searched for secrets when the file ends.
  const level = options.logLevel ?? process.env['TEST_LOG_LEVEL'] ?? 'debug';
  const sink = options.logSink;
  const logger = createLogger(level, {
    write: (line: string) => {
      captureLine(line);
      sink?.(line);
    },
  });
  const smtpUrl = options.smtpUrl ?? null;
  const webhooks = { allowPrivateNetworks: options.webhooksAllowPrivateNetworks ?? true };
  const app = await buildApp({
    config: { publicUrl, smtpUrl, inFlight: unshedLimit, ...options.limits, webhooks },
    db,
    clock,
    logger,
    sealer,
    notifications: database.handle,
    ping: () => database.handle.ping(),
    ...(options.guardSwitch === undefined ? {} : { guardSwitch: options.guardSwitch }),
  });
  // Wired as the runtime does: SMTP when configured, otherwise the embedded mailbox.
  const smtp = smtpUrl === null ? null : createSmtpSender(smtpUrl, mailFrom);
  const deliverToMailbox = mailboxDelivery(clock, sealer);
  let emailsSent = 0;
  const relay = createOutboxRelay({
    db,
    clock,
    sealer,
    logger,
    handlers: {
      email: async (id, message, tx) => {
        await (smtp === null ? deliverToMailbox(id, message, tx) : smtp.send(id, message));
        emailsSent += 1;
      },
      event: async (id, _topic, payload, tx, sequence) => void (await fanOutEvent(tx, clock, id, sequence, payload as unknown as PublishedEvent)),
      emailInTransaction: smtp === null,
    },
  });
  const uow: UnitOfWorkDeps = { db, clock, sealer, publicUrl };
  const deliveries = createWebhookDelivery({ uow, logger, policy: webhooks });
  return {
    app,
    db,
    database,
    engine,
    clock,
    sealer,
    uow,
    async drainOutbox() {
      const before = emailsSent;
      await relay.drain();
      return emailsSent - before;
    },
    drainWebhooks: () => deliveries.drain(),
    client: () => new Client(app),
    async close() {
      countServerErrors(await serverErrorsOf(app));
      await app.close();
      smtp?.close();
      await database.drop();
    },
  };
}

/** How many answers of this app were 5xx: the request-duration histogram's counts of status class 5xx. */
async function serverErrorsOf(app: App): Promise<number> {
  const metrics = await app.inject({ method: 'GET', url: '/metrics' });
  let total = 0;
  for (const line of metrics.body.split('\n')) {
    if (line.startsWith('tierlink_http_request_duration_seconds_count{') && line.includes('status="5xx"')) total += Number(line.split(' ').pop());
  }
  return total;
}

/** A sealer with a fresh key, the key recorded as a secret (it plays the part of SECRET_KEY). */
function recordedSealer(): Sealer {
  const key = randomBytes(32);
  recordSecret(key.toString('hex'));
  recordSecret(key.toString('base64'));
  return createSealer(key);
}

/** Request fields that carry a secret the client sends. */
const sentSecretFields = new Set(['password', 'newPassword', 'currentPassword', 'token']);
/** Answer fields that carry a secret the server hands out: keys, tokens, TOTP seeds, temporary passwords, links with a token. */
const receivedSecretFields = new Set(['secret', 'token', 'temporaryPassword', 'recoveryCodes', 'link']);

/** Records every secret in a request or answer body (by field name, at any depth). */
function recordSecretsIn(value: unknown, fields: ReadonlySet<string>, depth = 0): void {
  if (depth > 8 || typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    if (fields.has(key)) {
      for (const text of [item].flat()) {
        if (typeof text !== 'string') continue;
        recordSecret(text);
        // A link is not secret as a whole; its token is.
        if (URL.canParse(text)) recordSecret(new URL(text).searchParams.get('token'));
      }
    }
    recordSecretsIn(item, fields, depth + 1);
  }
}

/**
 * Another app instance on the test's database and clock, as a second server process would be: its
 * own sealing key unless given one, the database's notifications only when asked for.
 */
export function buildSecondApp(t: TestContext, options: { sealer?: Sealer; notifications?: boolean } = {}): Promise<App> {
  return buildApp({
    config: { publicUrl, smtpUrl: null, inFlight: unshedLimit },
    db: t.db,
    clock: t.clock,
    logger: createLogger(process.env['TEST_LOG_LEVEL'] ?? 'debug', { write: captureLine }),
    sealer: options.sealer ?? recordedSealer(),
    ...(options.notifications === true ? { notifications: t.database.handle } : {}),
  });
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: LightMyRequestResponse['headers'];
  raw: string;
}

/** Talks to the app like a browser (session cookie + Origin) or an automation client (API key). */
export class Client {
  cookie: string | null = null;
  apiKey: string | null = null;
  constructor(readonly app: App) {}

  async request<T = Record<string, unknown>>(
    method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const all: Record<string, string> = { ...headers };
    if (this.cookie !== null) all['cookie'] = this.cookie;
    if (this.apiKey !== null) all['authorization'] = `Bearer ${this.apiKey}`;
    if (method !== 'GET' && method !== 'HEAD' && all['origin'] === undefined && this.apiKey === null) all['origin'] = publicUrl;
    const response = await this.app.inject({
      method,
      url,
      headers: all,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    const setCookie = response.cookies.find((c) => c.name === 'tierlink_session');
    recordSecret(setCookie?.value);
    if (typeof body === 'object' && body !== null) recordSecretsIn(body, sentSecretFields);
    if (setCookie !== undefined) this.cookie = setCookie.value === '' ? null : `tierlink_session=${setCookie.value}`;
    let parsed: unknown = null;
    try {
      parsed = response.body === '' ? null : JSON.parse(response.body);
    } catch {
      parsed = null;
    }
    recordSecretsIn(parsed, receivedSecretFields);
    return { status: response.statusCode, body: parsed as T, headers: response.headers, raw: response.body };
  }

  get<T = Record<string, unknown>>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = Record<string, unknown>>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body ?? {}, headers);
  }
  put<T = Record<string, unknown>>(url: string, body?: unknown) {
    return this.request<T>('PUT', url, body ?? {});
  }
  patch<T = Record<string, unknown>>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', url, body ?? {}, headers);
  }
  delete<T = Record<string, unknown>>(url: string) {
    return this.request<T>('DELETE', url);
  }
}

/** TOTP seeds of the users the harness set MFA up for, and the last step each used (replays are refused). */
const authenticators = new WeakMap<TestContext, Map<string, { seed: string; lastStep: number }>>();

/**
 * A current code from the user's authenticator, as a person would type it. The server accepts
 * each step once and ±1 step around now; when both are used up, the manual clock moves on 30 s.
 */
export function totpCode(t: TestContext, email: string): string {
  const held = authenticators.get(t)?.get(email.toLowerCase());
  if (held === undefined) throw new Error(`no authenticator for ${email}`);
  const now = t.clock.now().getTime();
  let step = Math.floor(now / 30_000);
  if (step <= held.lastStep) step = held.lastStep + 1;
  if (step > Math.floor(now / 30_000) + 1) t.clock.advance((step - 1) * 30_000 - now + 1);
  held.lastStep = step;
  return new TOTP({ secret: Secret.fromBase32(held.seed), digits: 6, period: 30 }).generate({ timestamp: step * 30_000 });
}

/** Sets MFA up for the signed-in user (seed, confirmation); returns the recovery codes. */
export async function enrollMfa(t: TestContext, client: Client, email: string): Promise<string[]> {
  const started = expectOk(await client.post<{ secret: string }>('/api/v1/me/mfa/totp'), 201);
  const held = authenticators.get(t) ?? new Map<string, { seed: string; lastStep: number }>();
  authenticators.set(t, held);
  held.set(email.toLowerCase(), { seed: started.secret, lastStep: -1 });
  return expectOk(await client.post<{ recoveryCodes: string[] }>('/api/v1/me/mfa/totp/confirm', { code: totpCode(t, email) })).recoveryCodes;
}

/**
 * Signs in; throws with the answer if that fails. Partner and operator users get MFA as a person
 * would: set up at the first sign-in (unless a temporary password must be changed first), a code
 * at every later one.
 */
export async function signIn(t: TestContext, email: string, pass = password): Promise<Client> {
  // One user's sign-ins go one after another: the server takes each code step once and refuses an
  // older step after a newer one, so codes must reach it in the order they were picked.
  const key = email.toLowerCase();
  const queue = signInQueues.get(t) ?? new Map<string, Promise<unknown>>();
  signInQueues.set(t, queue);
  const turn = (queue.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => signInNow(t, email, pass));
  queue.set(key, turn);
  return turn;
}

const signInQueues = new WeakMap<TestContext, Map<string, Promise<unknown>>>();

async function signInNow(t: TestContext, email: string, pass: string): Promise<Client> {
  const client = t.client();
  let reply = await client.post<{ code?: string }>('/api/v1/sessions', { email, password: pass });
  if (reply.status === 401 && reply.body.code === 'mfa_required') {
    reply = await client.post('/api/v1/sessions', { email, password: pass, totpCode: totpCode(t, email) });
  }
  if (reply.status !== 201) throw new Error(`sign-in of ${email} failed: ${reply.status} ${reply.raw}`);
  const me = expectOk(await client.get<{ mfaEnrollmentRequired: boolean; user: { mustChangePassword: boolean } | null }>('/api/v1/me'));
  if (me.mfaEnrollmentRequired && me.user?.mustChangePassword === false) await enrollMfa(t, client, email);
  return client;
}

/**
 * The native error code of an answer: problem+json's `code`, or — on the Partner Center–compatible
 * API, whose errors carry a numeric code — the `Tierlink-Error-Code` header.
 */
export function errorCodeOf(reply: { body: unknown; headers: Reply['headers'] }): string | undefined {
  const header = reply.headers['tierlink-error-code'];
  if (typeof header === 'string') return header;
  const code = typeof reply.body === 'object' && reply.body !== null ? (reply.body as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Paths of the Partner Center–compatible API, its Graph part included (bearer credentials only: a session is anonymous there). */
export const isCompatiblePath = (path: string): boolean => path.startsWith('/v1/') || path.startsWith('/v1.0/') || path.startsWith('/oauth2/');

export function expectOk<T>(reply: Reply<T>, status = 200): T {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.raw}`);
  return reply.body;
}

/** The operator, created as the bootstrap account would be. */
export async function createOperator(t: TestContext, email = 'ops@operator.test'): Promise<Client> {
  await runInTransaction(t.uow, null, 'test', (ctx) => bootstrapOperator(ctx, { email, password }));
  return signIn(t, email);
}

export interface OrgHandle {
  id: string;
  name: string;
  domain: string;
  admin: Client;
  adminEmail: string;
}

/** An approved partner onboarded by the operator; its first admin is global admin + admin agent. */
export async function createPartner(
  t: TestContext,
  operator: Client,
  name: string,
  program: 'indirect_provider' | 'indirect_reseller',
): Promise<OrgHandle> {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`;
  const adminEmail = `admin@${domain}`;
  const created = expectOk(
    await operator.post<{ organization: { id: string } }>('/api/v1/operator/partners', {
      organization: { name, domain, country: 'US' },
      program,
      admin: { displayName: `${name} admin`, email: adminEmail, password },
    }),
    201,
  );
  return { id: created.organization.id, name, domain, adminEmail, admin: await signIn(t, adminEmail) };
}

/** A customer organization signed up by its admin, optionally from an invitation. */
export async function createCustomer(t: TestContext, name: string, invitation?: { id: string; token: string }): Promise<OrgHandle> {
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test`;
  const adminEmail = `admin@${domain}`;
  const admin = t.client();
  const created = expectOk(
    await admin.post<{ organization: { id: string } }>('/api/v1/organizations', {
      organization: { name, domain, country: 'US' },
      admin: { displayName: `${name} admin`, email: adminEmail, password },
      ...(invitation === undefined ? {} : { invitation }),
    }),
    201,
  );
  return { id: created.organization.id, name, domain, adminEmail, admin };
}

export interface Issued {
  id: string;
  token: string;
  link: string;
}

export function issuedFrom(body: { invitation: { id: string }; email: { link: string } }): Issued {
  const token = new URL(body.email.link).searchParams.get('token');
  if (token === null) throw new Error('link without token');
  return { id: body.invitation.id, token, link: body.email.link };
}

/** Provider invites reseller and the reseller authorizes it. */
export async function connect(provider: OrgHandle, reseller: OrgHandle): Promise<void> {
  const issued = issuedFrom(expectOk(await provider.admin.post('/api/v1/reseller-invitations', { email: reseller.adminEmail }), 201) as never);
  expectOk(await reseller.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
}

/** Partner invites a customer (jointly with `providerId` when given) and the customer's admin accepts. */
export async function relate(partner: OrgHandle, customer: OrgHandle, providerId?: string): Promise<void> {
  const issued = issuedFrom(
    expectOk(
      await partner.admin.post('/api/v1/customer-invitations', {
        email: customer.adminEmail,
        ...(providerId === undefined ? {} : { indirectProviderId: providerId }),
      }),
      201,
    ) as never,
  );
  expectOk(await customer.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
}

/** Rows of a raw SQL query; both drivers answer `{ rows }`. */
export async function queryRows<T>(t: TestContext, query: SQL): Promise<T[]> {
  const result = (await t.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
