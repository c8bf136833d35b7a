// A relay process that dies mid-delivery (CRASH-04): the production relay and handlers, except that
// after the first delivery the handler never returns — the message is out (SMTP) or written (the
// embedded mailbox, inside the delivery transaction) but not yet marked sent — until the test kills
// the process with SIGKILL.
import { openDatabase } from '../../src/db/database.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createSmtpSender } from '../../src/platform/mail.ts';
import { createOutboxRelay } from '../../src/platform/outbox-relay.ts';
import { createSealer } from '../../src/platform/seal.ts';
import { mailboxDelivery } from '../../src/modules/notifications/index.ts';

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const database = await openDatabase({ engine: 'postgres', url: setting('RELAY_DATABASE_URL'), poolSize: 2 });
const clock = new ManualClock(new Date(setting('RELAY_CLOCK')));
const sealer = createSealer(Buffer.from(setting('RELAY_SECRET_KEY'), 'hex'));
const smtp = setting('RELAY_MODE') === 'smtp' ? createSmtpSender(setting('RELAY_SMTP_URL'), 'Tierlink <no-reply@tierlink.test>') : null;
const mailbox = mailboxDelivery(clock, sealer);

const relay = createOutboxRelay({
  db: database.db,
  clock,
  sealer,
  logger: createLogger('silent'),
  // Claims everything due in one batch (emails and events of the long profile's invitations too),
  // so the whole claim is what the crash leaves leased.
  batch: 100,
  handlers: {
    async email(id, message, tx) {
      if (smtp !== null) await smtp.send(id, message);
      else await mailbox(id, message, tx);
      process.stdout.write(`delivered ${id}\n`);
      return new Promise<never>(() => undefined);
    },
    event: async () => undefined,
  },
});
process.stdout.write('relay started\n');
await relay.drain();
