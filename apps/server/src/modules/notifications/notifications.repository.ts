import { and, desc, eq, sql } from 'drizzle-orm';
import { preparedQuery, type Executor } from '../../db/database.ts';
import { beforeTime } from '../../platform/cursor.ts';
import { mailboxMessages } from '../../db/schema.ts';

export type MailboxRow = typeof mailboxMessages.$inferSelect;

/** Idempotent by outbox id: a redelivered message is stored once. */
export async function insertMailboxMessage(db: Executor, row: typeof mailboxMessages.$inferInsert): Promise<void> {
  await insertMailbox(db).execute(row);
}

/** The relay's write for every email when no SMTP server is configured: one named statement. */
const insertMailbox = preparedQuery('notifications_mailbox_insert', (db) =>
  db
    .insert(mailboxMessages)
    .values({
      id: sql.placeholder('id'),
      outboxMessageId: sql.placeholder('outboxMessageId'),
      toAddress: sql.placeholder('toAddress'),
      subject: sql.placeholder('subject'),
      body: sql.placeholder('body'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing({ target: mailboxMessages.outboxMessageId }),
);

export async function listMailbox(
  db: Executor,
  query: { limit: number; after: [string, string] | null; to?: string },
): Promise<MailboxRow[]> {
  return db
    .select()
    .from(mailboxMessages)
    .where(
      and(
        query.to === undefined ? undefined : eq(mailboxMessages.toAddress, query.to),
        beforeTime(mailboxMessages.createdAt, mailboxMessages.id, query.after),
      ),
    )
    .orderBy(desc(mailboxMessages.createdAt), desc(mailboxMessages.id))
    .limit(query.limit + 1);
}
