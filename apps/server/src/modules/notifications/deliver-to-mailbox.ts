import type { Tx } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import type { Email } from '../../platform/outbox.ts';
import type { Sealer } from '../../platform/seal.ts';
import { insertMailboxMessage } from './notifications.repository.ts';

/** The embedded mailbox's delivery: the body stays sealed at rest, like the outbox. */
export function mailboxDelivery(clock: Clock, sealer: Sealer) {
  return async (outboxId: string, message: Email, tx: Tx): Promise<void> => {
    await insertMailboxMessage(tx, {
      id: newTimeOrderedId(),
      outboxMessageId: outboxId,
      toAddress: message.to.toLowerCase(),
      subject: message.subject,
      body: sealer.seal(message.text),
      createdAt: clock.now(),
    });
  };
}
