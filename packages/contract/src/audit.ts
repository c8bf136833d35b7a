import { z } from 'zod';
import { CountFlag, Id, SortOrder, Timestamp } from './common.ts';

/**
 * Every action an audit event may record (`<object>.<verb>`), for filters and labels. The API
 * stores and filters any action of that shape; clients label the ones listed here.
 */
export const auditActions = [
  'api_key.created',
  'api_key.revoked',
  'credit_terms.set',
  'delegated_admin.amendment_approved',
  'delegated_admin.amendment_proposed',
  'delegated_admin.amendment_rejected',
  'delegated_admin.approval_requested',
  'delegated_admin.approved',
  'delegated_admin.consented',
  'delegated_admin.created',
  'delegated_admin.deleted',
  'delegated_admin.expired',
  'delegated_admin.expiring',
  'delegated_admin.extended',
  'delegated_admin.granted',
  'delegated_admin.lapsed',
  'delegated_admin.rejected',
  'delegated_admin.revoked',
  'delegated_admin.terminated',
  'delegated_admin.updated',
  'enrollment.approved',
  'enrollment.email_verified',
  'enrollment.rejected',
  'enrollment.submitted',
  'invitation.accepted',
  'invitation.created',
  'invitation.declined',
  'invitation.expired',
  'invitation.revoked',
  'invitation.sent',
  'license.assigned',
  'license.removed',
  'membership.registered',
  'offboarding.completed',
  'operator.bootstrapped',
  'order.completed',
  'organization.claimed',
  'organization.created',
  'organization.imported',
  'partner.onboarded',
  'partnership.created',
  'partnership.ended',
  'product.created',
  'product.deleted',
  'reseller_relationship.created',
  'reseller_relationship.removed',
  'sku.updated',
  'subscription.created',
  'subscription.updated',
  'user.created',
  'user.deleted',
  'user.mfa_enrolled',
  'user.mfa_reset',
  'user.password_changed',
  'user.password_reset',
  'user.recovery_code_used',
  'user.signed_in',
  'user.updated',
  'webhook_delivery.retried',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
  'webhook_endpoint.disabled',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.updated',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The kinds of object an audit event's target may be. */
export const auditTargetTypes = [
  'api_key',
  'credit_terms',
  'delegated_admin_grant',
  'invitation',
  'membership',
  'order',
  'organization',
  'partner_profile',
  'partnership',
  'product',
  'reseller_relationship',
  'sku',
  'subscription',
  'user',
  'webhook_endpoint',
] as const;
export type AuditTargetType = (typeof auditTargetTypes)[number];

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
    /** `name`: the object's name when the event knows it (an organization's, a user's, a key's, an invitee's email). */
    target: z.object({ type: z.string(), id: Id, name: z.string().nullable() }),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

/** What the audit log may be filtered by; every filter narrows the events of the caller's organization. */
export const AuditFilter = z.object({
  /** Events at or after this moment. */
  from: Timestamp.optional(),
  /** Events before this moment. */
  to: Timestamp.optional(),
  /** The user or API key that acted. */
  actorId: Id.optional(),
  /** One action, such as `invitation.created`. */
  action: z.string().regex(/^[a-z_]{1,50}\.[a-z_]{1,50}$/, 'an action such as invitation.created').optional(),
  /** The kind of object the event concerns. */
  targetType: z.string().regex(/^[a-z_]{1,50}$/, 'an object type such as invitation').optional(),
  targetId: Id.optional(),
  /** Events where the actor acted on behalf of this organization (through a relationship or grant). */
  onBehalfOf: Id.optional(),
});

/** The audit log is sorted by time: newest first unless `order=asc`; ties by id. */
const AuditSort = z.object({ sort: z.enum(['occurredAt']).default('occurredAt'), order: SortOrder.default('desc') });

export const AuditQuery = AuditFilter.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
})
  .extend(AuditSort.shape)
  .strict();

/** The CSV export takes the list's filters and order, without paging: every matching event. */
export const AuditExportQuery = AuditFilter.extend(AuditSort.shape).strict();
