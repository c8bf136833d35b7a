import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { beforeTime } from '../../platform/cursor.ts';
import { mailboxMessages } from '../../db/schema.ts';

export type MailboxRow = typeof mailboxMessages.$inferSelect;

/** Idempotent by outbox id: a redelivered message is stored once. */
export async function insertMailboxMessage(db: Executor, row: typeof mailboxMessages.$inferInsert): Promise<void> {
  await db.insert(mailboxMessages).values(row).onConflictDoNothing({ target: mailboxMessages.outboxMessageId });
}

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
