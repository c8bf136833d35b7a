import { randomUUID } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Public identifiers are UUIDs the app generates: never sequential, never derived from data.
 *
 * `newId()` is a random UUIDv4 (122 random bits). It names whatever may act as a capability or
 * should not tell when it was made: organizations, users, API keys, products, memberships,
 * enrollments, credit lines, webhook endpoints.
 *
 * `newTimeOrderedId()` is a UUIDv7 (RFC 9562): 48 bits of milliseconds, then 74 random bits. New
 * keys land at the right edge of their B-tree, so insert-heavy tables touch a few hot index pages
 * instead of random ones (fewer full-page images in the WAL after a checkpoint, a cache-friendly
 * index). It reveals its creation time to the minute anyone who sees it, and nothing else; 74 random
 * bits stay unguessable. Used for rows whose time is no secret to who can see them: orders and
 * their lines, subscriptions, license assignments, audit events, outbox and webhook messages and
 * delivery attempts, mailbox messages, invitations (whose secret is their separate token),
 * customer relationships, partnerships and delegated-admin grants made by acceptances.
 * Sessions are keyed by a hash of their secret, not by either. docs/decisions.md has the reasoning.
 */
export const newId = (): string => randomUUID();

/** A UUIDv7: time-ordered (monotonic within this process), for insert-heavy tables (see above). */
export const newTimeOrderedId = (): string => v7();
