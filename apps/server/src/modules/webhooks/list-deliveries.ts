import type { z } from 'zod';
import type { WebhookDeliveryQuery } from '@tierlink/contract';
import { decodeCursor, toPage } from '../../platform/cursor.ts';
import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { attemptsOf, findEndpoint, listMessageRows, type AttemptRow, type MessageRow } from './webhooks.repository.ts';

/** An endpoint's delivery log, newest first: each message with its attempts. */
export async function listDeliveries(
  ctx: UseCaseContext,
  endpointId: string,
  query: z.infer<typeof WebhookDeliveryQuery>,
): Promise<{ items: { message: MessageRow; attempts: AttemptRow[] }[]; nextCursor: string | null }> {
  if ((await findEndpoint(ctx.tx, ctx.actor.organizationId, endpointId)) === undefined) throw notFound('webhook endpoint');
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listMessageRows(ctx.tx, endpointId, { limit: query.limit, after, ...(query.status === undefined ? {} : { state: query.status }) });
  const page = toPage(rows, query.limit, (m) => [m.createdAt.toISOString(), m.id]);
  const attempts = await attemptsOf(ctx.tx, page.items.map((m) => m.id));
  return { items: page.items.map((message) => ({ message, attempts: attempts.filter((a) => a.messageId === message.id) })), nextCursor: page.nextCursor };
}
