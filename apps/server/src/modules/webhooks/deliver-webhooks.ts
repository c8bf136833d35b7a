import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../platform/logger.ts';
import type { Tx } from '../../db/database.ts';
import { sqlState } from '../../platform/errors.ts';
import { newTimeOrderedId } from '../../platform/ids.ts';
import { OutboundRefused, postGuarded, type OutboundPolicy } from '../../platform/outbound-http.ts';
import type { Sealer } from '../../platform/seal.ts';
import { runInTransaction, type UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { listOrganizationAdmins } from '../identity/index.ts';
import { attemptTimeoutMs, failingLimitMs, nextAttemptAt, responseExcerptBytes } from './webhooks.policy.ts';
import {
  claimDueMessages,
  disableEndpoint,
  endpointsByIds,
  finishMessage,
  firstAttemptAt,
  insertAttempt,
  markEndpointFailing,
  markEndpointHealthy,
  type EndpointRow,
  type MessageRow,
} from './webhooks.repository.ts';

export interface DeliveryOptions {
  uow: UnitOfWorkDeps;
  logger: Logger;
  policy: OutboundPolicy;
  batch?: number;
  /** Longer than one attempt can take, so a live sender's lease never runs out under it. */
  leaseMs?: number;
}

/** `webhook-signature`: one `v1,…` per secret in force, space-separated (Standard Webhooks). */
export function signatureHeader(secrets: readonly string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
export function signingSecrets(endpoint: EndpointRow, sealer: Sealer, now: Date): string[] {
  const secrets = [sealer.open(endpoint.secret)];
  if (endpoint.previousSecret !== null && endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt.getTime() > now.getTime()) {
    secrets.push(sealer.open(endpoint.previousSecret));
  }
  return secrets;
}

/**
 * Delivers due webhook messages at least once: claims them under a lease (SKIP LOCKED: two nodes
 * never send the same attempt), POSTs each signed, and records the attempt. A process killed
 * mid-delivery leaves its lease to run out; the message goes again under the same `webhook-id`.
 */
export function createWebhookDelivery(options: DeliveryOptions) {
  const { uow, logger, policy } = options;
  const { db, clock, sealer } = uow;
  const batch = options.batch ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;

  async function attempt(message: MessageRow, endpoint: EndpointRow | undefined): Promise<void> {
    const started = clock.now();
    if (endpoint === undefined) return; // deleted with its messages meanwhile
    // A switched-off endpoint gets nothing but test events (to see whether its receiver is back).
    if (!endpoint.enabled && message.eventType !== 'webhook.test') {
      await db.transaction(async (tx) => {
        await insertAttempt(tx, { id: newTimeOrderedId(), messageId: message.id, attemptedAt: started, statusCode: null, error: 'not sent: the endpoint is switched off', durationMs: 0, response: null });
        await finishMessage(tx, message.id, { state: 'failed', nextAttemptAt: null });
      });
      return;
    }
    let status: number | null = null;
    let error: string | null = null;
    let response: string | null = null;
    let durationMs = 0;
    try {
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Tierlink-Webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(started.getTime() / 1000)),
        'webhook-signature': signatureHeader(signingSecrets(endpoint, sealer, started), message.id, started, message.body),
      };
      const result = await postGuarded(new URL(endpoint.url), headers, message.body, { ...policy, timeoutMs: attemptTimeoutMs, maxBody: responseExcerptBytes });
      status = result.status;
      response = result.body;
      durationMs = result.durationMs;
    } catch (caught) {
      error = caught instanceof OutboundRefused ? `refused: ${caught.reason}` : caught instanceof Error ? caught.message.slice(0, 300) : 'delivery failed';
      durationMs = clock.now().getTime() - started.getTime();
    }
    const ok = status !== null && status >= 200 && status < 300;
    let spent = false;
    const recorded = await record(async (tx) => {
      await insertAttempt(tx, { id: newTimeOrderedId(), messageId: message.id, attemptedAt: started, statusCode: status, error, durationMs, response });
      if (ok) {
        await finishMessage(tx, message.id, { state: 'succeeded', nextAttemptAt: null, deliveredAt: clock.now() });
        if (endpoint.failingSince !== null) await markEndpointHealthy(tx, endpoint.id);
        return;
      }
      if (status === 410) {
        // The receiver says the endpoint is gone for good.
        await finishMessage(tx, message.id, { state: 'failed', nextAttemptAt: null });
        await disableEndpoint(tx, endpoint.id, 'gone', clock.now());
        return;
      }
      const next = nextAttemptAt(message.attempts, clock.now());
      spent = next === null;
      await finishMessage(tx, message.id, spent ? { state: 'failed', nextAttemptAt: null } : { state: 'pending', nextAttemptAt: next });
    });
    if (!recorded) return;
    if (!ok && status !== 410 && endpoint.enabled) await noteFailure(endpoint, started, spent ? await firstAttemptAt(db, message.id) : null);
    logger.debug({ webhookId: message.id, endpointId: endpoint.id, status, error }, ok ? 'webhook delivered' : 'webhook attempt failed');
  }

  /**
   * Records an attempt's outcome; false when the endpoint (and so the message) was deleted while
   * the attempt ran: there is nothing left to record it on.
   */
  async function record(work: (tx: Tx) => Promise<void>): Promise<boolean> {
    try {
      await db.transaction(work);
      return true;
    } catch (error) {
      if (sqlState(error) === '23503') return false;
      throw error;
    }
  }

  /**
   * Three days of nothing but failures (or a message that failed its whole schedule meanwhile)
   * switch the endpoint off, and its organization's admins hear of it.
   */
  async function noteFailure(endpoint: EndpointRow, at: Date, spentSince: Date | null): Promise<void> {
    const current = await markEndpointFailing(db, endpoint.id, at);
    if (current?.failingSince === null || current?.failingSince === undefined) return;
    // Three days of failures, or a message whose whole schedule (about three days; jitter may
    // shorten it) failed with no success in between: a success clears `failingSince`, so it
    // then dates from after the message's first attempt.
    const failedThroughout = spentSince !== null && current.failingSince.getTime() <= spentSince.getTime();
    if (at.getTime() - current.failingSince.getTime() < failingLimitMs && !failedThroughout) return;
    await runInTransaction(uow, null, null, async (ctx) => {
      if (!(await disableEndpoint(ctx.tx, endpoint.id, 'failing', at))) return;
      await ctx.audit.record({
        action: 'webhook_endpoint.disabled',
        actor: { userId: null, organizationId: endpoint.organizationId, displayName: 'Tierlink' },
        target: { type: 'webhook_endpoint', id: endpoint.id },
        organizationIds: [endpoint.organizationId],
        after: { enabled: false, reason: 'failing' },
      });
      for (const admin of await listOrganizationAdmins(ctx.tx, endpoint.organizationId)) {
        await ctx.outbox.email(
          {
            to: admin.email,
            subject: 'A webhook endpoint was switched off',
            text:
              `Hello ${admin.displayName},\n\nEvery delivery to ${endpoint.url} has failed since ${current.failingSince?.toISOString()}, ` +
              `so Tierlink switched the endpoint off.\nFix the receiver, then enable the endpoint again under Settings → Webhooks; ` +
              `failed deliveries can be sent again from its delivery log.\n`,
          },
          'webhook_endpoint.disabled',
        );
      }
    });
  }

  /** Delivers everything due now; returns how many attempts it made. */
  async function drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const messages = await claimDueMessages(db, clock.now(), batch, leaseMs);
      if (messages.length === 0) return handled;
      const endpoints = new Map((await endpointsByIds(db, [...new Set(messages.map((m) => m.endpointId))])).map((e) => [e.id, e]));
      // One message per endpoint and resource is ever claimed at once, so these may run side by side.
      await Promise.all(messages.map((m) => attempt(m, endpoints.get(m.endpointId))));
      handled += messages.length;
    }
  }

  return { drain };
}
