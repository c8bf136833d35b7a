import { z } from 'zod';
import { Id, Timestamp } from './common.ts';

export const AuditEvent = z
  .object({
    id: Id,
    occurredAt: Timestamp,
    action: z.string(),
    actor: z.object({
      userId: Id.nullable(),
      apiKeyId: Id.nullable(),
      organizationId: Id.nullable(),
      displayName: z.string().nullable(),
    }),
    /** The relationship or grant through which the actor acted for another organization. */
    onBehalfOf: z.object({ type: z.string(), id: Id }).nullable(),
    target: z.object({ type: z.string(), id: Id }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    targetId: Id.optional(),
  })
  .strict();
