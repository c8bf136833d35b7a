import { randomBytes, randomInt } from 'node:crypto';
import { eventTypes, type EventType, type OrganizationKind } from '@tierlink/contract';

/**
 * Delays before each retry of a failed delivery: a little over three days in all (Standard
 * Webhooks' suggestion), each with ±20 % jitter so that a receiver coming back is not hit by every
 * sender at once. After the last one the message has failed; its last attempts fall after the
 * three days of failures that switch the endpoint off.
 */
export const retryScheduleMs = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, ...Array<number>(7).fill(10 * 3_600_000)];

/** An endpoint failing for this long (every attempt since its last success) is switched off. */
export const failingLimitMs = 3 * 24 * 3_600_000;

/** One attempt's bound: connect, send and read the answer. */
export const attemptTimeoutMs = 10_000;

/** How much of a receiver's answer the delivery log keeps. */
export const responseExcerptBytes = 2048;

/** For 24 hours after a rotation, messages carry a signature by the previous secret too. */
export const rotationOverlapMs = 24 * 3_600_000;

/** When the attempt after `attempts` failed ones is due, or null when the schedule is spent. */
export function nextAttemptAt(attempts: number, now: Date): Date | null {
  const base = retryScheduleMs[attempts - 1];
  if (base === undefined) return null;
  const jitter = 1 + (randomInt(0, 401) - 200) / 1000;
  return new Date(now.getTime() + Math.round(base * jitter));
}

/** A new signing secret: `whsec_` and 24 random bytes in base64, as Standard Webhooks defines. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The event type an audited change is published as: its action, except that a subscription's
 * status change is a suspension or a reactivation. Null for actions the catalog does not list.
 */
export function eventTypeOf(action: string, before: unknown, after: unknown): EventType | null {
  if (action === 'subscription.updated') {
    const from = statusOf(before);
    const to = statusOf(after);
    if (from !== to && to === 'suspended') return 'subscription.suspended';
    if (from !== to && to === 'active') return 'subscription.reactivated';
  }
  return action in eventTypes && action !== 'webhook.test' ? (action as EventType) : null;
}

const statusOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined);

/** Whether an organization of this kind reads such resources through the API at all. */
export function isInAudience(eventType: EventType, kind: OrganizationKind): boolean {
  return (eventTypes[eventType].audience as readonly OrganizationKind[]).includes(kind);
}

/** Whether an endpoint listening to `subscribed` (empty: everything) wants this type. */
export function isSubscribed(subscribed: readonly string[], eventType: EventType): boolean {
  return subscribed.length === 0 || subscribed.includes(eventType);
}

/** Ordering is per endpoint and per resource: the key of the resource an event is about. */
export const resourceKey = (target: { type: string; id: string }): string => `${target.type}:${target.id}`;
