import { z } from 'zod';
import { FilterText, Id, Timestamp } from './common.ts';

export const MailboxMessage = z
  .object({ id: Id, to: z.string(), subject: z.string(), text: z.string(), createdAt: Timestamp })
  .meta({ id: 'MailboxMessage' });
export const MailboxQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    to: FilterText(254).toLowerCase().optional(),
  })
  .strict();
