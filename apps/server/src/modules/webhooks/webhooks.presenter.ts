import type { EventType, WebhookDelivery, WebhookEndpoint } from '@tierlink/contract';
import type { AttemptRow, EndpointRow, MessageRow } from './webhooks.repository.ts';

export function presentEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes as EventType[],
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentDelivery(message: MessageRow, attempts: readonly AttemptRow[]): WebhookDelivery {
  return {
    id: message.id,
    endpointId: message.endpointId,
    eventType: message.eventType as EventType,
    status: message.state,
    createdAt: message.createdAt.toISOString(),
    nextAttemptAt: message.state === 'pending' ? (message.nextAttemptAt?.toISOString() ?? null) : null,
    attempts: attempts.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
      response: a.response,
    })),
  };
}
