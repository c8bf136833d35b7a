import { checkProcessRole, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { demoMembershipAccount, demoPassword, demoTotpSeed, existingDemoAccounts, seedDemo, type DemoAccount } from './demo/seed.ts';
import type { App } from './platform/http/routes.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createSmtpSender } from './platform/mail.ts';
import { createOutboxRelay } from './platform/outbox-relay.ts';
import { createSealer } from './platform/seal.ts';
import { runInTransaction, type UnitOfWorkDeps } from './platform/unit-of-work.ts';
import { createWebhookDelivery, fanOutEvent, type PublishedEvent } from './modules/webhooks/index.ts';
import { startWorker } from './platform/worker.ts';
import { buildWorkerApp } from './worker-app.ts';
import { startHealthPort, type HealthPort } from './platform/http/health-port.ts';
import { checkCreditExposure } from './modules/commerce/index.ts';
import { sweepDelegatedAdmin } from './modules/delegated-admin/index.ts';
import { sweepThrottles } from './modules/identity/index.ts';
import { expireInvitations } from './modules/invitations/index.ts';
import { mailboxDelivery } from './modules/notifications/index.ts';
import { bootstrapOperator } from './modules/organizations/index.ts';

export interface Runtime {
  app: App;
  database: DatabaseHandle;
  logger: Logger;
  url: string;
  /** The demo accounts, whether loaded by this start or an earlier one on the same database. */
  demoAccounts: readonly DemoAccount[];
  /** The health port listened on (HEALTH_PORT; the chosen one for 0), or null without one. */
  healthPort: number | null;
  /** Stops accepting requests, lets in-flight ones finish, stops the background tasks, closes the database. */
  close(): Promise<void>;
}

/**
 * Starts Tierlink: database (migrated), first accounts, listening; by `config.role` the API and
 * portal, the background tasks (outbox relay, webhook delivery, sweeps), or both.
 */
export async function startRuntime(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Promise<Runtime> {
  checkProcessRole(config.role, config.databaseUrl);
  // An `api` process leaves its outbox rows to a `worker` process, which polls for them (every second).
  const servesApi = config.role !== 'worker';
  const runsTasks = config.role !== 'api';
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(
    config.databaseUrl === null ? { engine: 'pglite', dataDir: config.dataDir } : { engine: 'postgres', url: config.databaseUrl, poolSize: config.databasePoolSize },
  );
  const sealer = createSealer(config.secretKey, config.previousSecretKeys);
  const smtp = config.smtpUrl === null ? null : createSmtpSender(config.smtpUrl, config.mailFrom);
  const deliverToMailbox = mailboxDelivery(clock, sealer);
  const relay = createOutboxRelay({
    db: database.db,
    clock,
    sealer,
    logger,
    handlers: {
      email: (id, message, tx) => (smtp === null ? deliverToMailbox(id, message, tx) : smtp.send(id, message)),
      // A published change becomes a message per subscribed webhook endpoint, once.
      event: async (id, _topic, payload, tx, sequence) => {
        if ((await fanOutEvent(tx, clock, id, sequence, payload as unknown as PublishedEvent)) > 0) fannedOut = true;
      },
      // The embedded mailbox's emails are delivered in the batch's transaction, SMTP's one by one.
      emailInTransaction: smtp === null,
    },
  });
  let wake: () => void = () => undefined;
  let wakeWebhooks: () => void = () => undefined;
  // Set while the relay fans events out; delivery is woken once their transactions committed.
  let fannedOut = false;
  const uow: UnitOfWorkDeps = { db: database.db, clock, sealer, publicUrl: config.publicUrl, onOutboxCommit: () => wake() };

  // Lines whose exposure counter the last credit sweep found off its orders' sum (0 until it runs).
  let driftingCreditLines = 0;

  const wasEmpty = await database.isEmpty();
  if (config.bootstrapOperator !== null) {
    const bootstrap = config.bootstrapOperator;
    await runInTransaction(uow, null, 'bootstrap', (ctx) => bootstrapOperator(ctx, bootstrap));
  }
  // Kept by the sweep: only a process that runs the background tasks has it.
  const taskGauges = runsTasks
    ? [
        {
          name: 'tierlink_credit_exposure_drift_lines',
          help: 'Credit lines whose running exposure differed from the sum of their orders at the last check',
          value: () => driftingCreditLines,
        },
      ]
    : [];
  const app = servesApi
    ? await buildApp({
        config,
        db: database.db,
        clock,
        logger,
        sealer,
        onOutboxCommit: () => wake(),
        onWebhookDue: () => wakeWebhooks(),
        notifications: database,
        ping: () => database.ping(),
        taskGauges,
      })
    : await buildWorkerApp({ db: database.db, logger, ping: () => database.ping(), taskGauges });
  const webhooks = createWebhookDelivery({ uow, logger, policy: config.webhooks });
  const worker = runsTasks
    ? startWorker(
    [
      {
        name: 'outbox',
        everyMs: 1000,
        run: async () => {
          await relay.drain();
          if (fannedOut) {
            fannedOut = false;
            wakeWebhooks();
          }
        },
      },
      { name: 'webhooks', everyMs: 1000, run: () => webhooks.drain() },
      { name: 'expiry', everyMs: 60_000, run: () => sweepExpired(uow) },
      {
        name: 'credit-exposure',
        everyMs: 15 * 60_000,
        run: async () => {
          driftingCreditLines = (await checkCreditExposure(database.db, clock.now(), logger)).length;
        },
      },
    ],
    logger,
  )
    : null;
  if (worker !== null) {
    wake = () => worker.wake('outbox');
    wakeWebhooks = () => worker.wake('webhooks');
  }
  // Started once the database is open and migrated, so that readiness soon says what it will say
  // for the life of the process; ended last when closing.
  const health: HealthPort | null =
    config.healthPort === null
      ? null
      : await startHealthPort({ port: config.healthPort, host: config.host, ping: () => database.ping(), onError: (error) => logger.error({ err: error }, 'health port failed') });
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await health?.close();
    throw error;
  }
  // Demo data by default only on a fresh embedded database; never on PostgreSQL unless asked.
  // It is written after listening so that a first start answers at once; requests meanwhile see
  // whatever part has committed.
  const demo = servesApi && (config.demo ?? (database.engine === 'pglite' && wasEmpty));
  const demoAccounts = demo && wasEmpty && config.bootstrapOperator === null ? await seedDemo(uow) : await existingDemoAccounts(database.db);
  return {
    app,
    database,
    logger,
    url: address,
    demoAccounts,
    healthPort: health?.port ?? null,
    async close() {
      // Not ready from the first moment of closing (the load balancer stops sending), still alive.
      health?.drain();
      await app.close();
      await worker?.stop();
      smtp?.close();
      await database.close();
      await health?.close();
    },
  };
}

async function sweepExpired(uow: UnitOfWorkDeps): Promise<void> {
  await runInTransaction(uow, null, 'sweep', (ctx) => expireInvitations(ctx));
  await runInTransaction(uow, null, 'sweep', (ctx) => sweepDelegatedAdmin(ctx));
  await sweepThrottles(uow.db, uow.clock.now());
}

export function describeDemo(accounts: readonly DemoAccount[], publicUrl: string): string {
  if (accounts.length === 0) return '';
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = accounts.map((a) => `  ${a.email.padEnd(width)}  ${a.role}, ${a.organization}`);
  return [
    '',
    `Demo data is loaded. Every demo account signs in with the password "${demoPassword}":`,
    ...lines,
    `Invitation emails land in the embedded mailbox: GET ${publicUrl}/api/v1/mailbox (operators see every message).`,
    `Partner and operator accounts sign in with MFA. Add this key to an authenticator app (Microsoft`,
    `Authenticator, Google Authenticator, 1Password …) or run \`npm run demo:code\` for the current code:`,
    `  ${demoTotpSeed}`,
    `The membership registry account for the enrollment wizard: ${demoMembershipAccount}, same password.`,
    '',
  ].join('\n');
}
