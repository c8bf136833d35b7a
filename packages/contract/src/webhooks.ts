import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { CreditTerms, Order, Subscription } from './commerce.ts';
import { ResellerRelationship } from './customers.ts';
import { Enrollment } from './enrollment.ts';
import { User } from './identity.ts';
import { Invitation } from './invitations.ts';
import { DelegatedAdminRelationship } from './delegated-admin.ts';
import { DelegatedAdminGrant, Partnership } from './partnerships.ts';
import type { OrganizationKind } from './roles.ts';

/** Data of `webhook.test`, and of a deletion: what is left of the resource is its id. */
const TestData = z.object({ endpointId: Id, message: z.string() });
const Deleted = z.object({ id: Id });

interface EventTypeDefinition {
  description: string;
  /** The resource as the API presents it to the subscriber (the same presenter). */
  data: z.ZodType;
  /** Kinds of organization that read this resource through the API; others never receive it. */
  audience: readonly OrganizationKind[];
}

const partners = ['partner'] as const;
const partnersAndCustomers = ['partner', 'customer'] as const;
const everyone = ['operator', 'partner', 'customer'] as const;

/**
 * The event catalog: every event type a webhook endpoint can receive. Each is sent to the
 * organizations the change concerns (those that read it in their audit log) whose kind is in the
 * audience, shaped as the API shows that resource.
 */
export const eventTypes = {
  'partnership.created': { description: 'A reseller authorized an indirect provider.', data: Partnership, audience: partners },
  'partnership.ended': { description: 'A provider or reseller ended their partnership.', data: Partnership, audience: partners },
  'invitation.created': { description: 'The organization created an invitation.', data: Invitation, audience: partners },
  'invitation.accepted': { description: 'An invitation was accepted.', data: Invitation, audience: partners },
  'invitation.declined': { description: 'An invitation was declined.', data: Invitation, audience: partners },
  'invitation.revoked': { description: 'The inviter revoked an invitation.', data: Invitation, audience: partners },
  'invitation.expired': { description: 'An invitation expired unanswered.', data: Invitation, audience: partners },
  'reseller_relationship.created': { description: 'A customer accepted a reseller relationship.', data: ResellerRelationship, audience: partnersAndCustomers },
  'reseller_relationship.removed': { description: 'A reseller relationship was removed.', data: ResellerRelationship, audience: partnersAndCustomers },
  'delegated_admin.granted': { description: 'A customer granted a partner delegated admin.', data: DelegatedAdminGrant, audience: partnersAndCustomers },
  'delegated_admin.revoked': { description: 'Delegated admin was revoked.', data: DelegatedAdminGrant, audience: partnersAndCustomers },
  'delegated_admin.expired': { description: 'Delegated admin reached its end date.', data: DelegatedAdminGrant, audience: partnersAndCustomers },
  'delegated_admin.approval_requested': { description: 'A partner asked a customer to approve a delegated admin relationship.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.consented': { description: 'The named reseller consented to a three-party relationship request.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.approved': { description: 'The customer approved a delegated admin relationship; it is active.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.rejected': { description: 'The customer rejected a delegated admin relationship request.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.terminated': { description: 'The partner or the customer terminated a delegated admin relationship.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.lapsed': { description: 'A delegated admin relationship request lapsed unanswered after 90 days.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.expiring': { description: 'A delegated admin relationship ends within 30 days.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.extended': { description: 'A delegated admin relationship extended itself by 180 days.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.amendment_proposed': { description: 'A partner proposed new roles or a new duration for a relationship.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.amendment_approved': { description: 'The customer approved an amendment: the relationship has its new terms.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'delegated_admin.amendment_rejected': { description: 'The customer rejected an amendment: the terms stay.', data: DelegatedAdminRelationship, audience: partnersAndCustomers },
  'order.completed': { description: 'An order was placed and completed.', data: Order, audience: partners },
  'subscription.created': { description: 'An order created a subscription.', data: Subscription, audience: partnersAndCustomers },
  'subscription.updated': { description: 'A subscription\'s quantity changed.', data: Subscription, audience: partnersAndCustomers },
  'subscription.suspended': { description: 'A subscription was suspended.', data: Subscription, audience: partnersAndCustomers },
  'subscription.reactivated': { description: 'A suspended subscription was reactivated.', data: Subscription, audience: partnersAndCustomers },
  'enrollment.submitted': { description: 'An organization enrolled in a partner program.', data: Enrollment, audience: everyone },
  'enrollment.approved': { description: 'The operator approved an enrollment.', data: Enrollment, audience: everyone },
  'enrollment.rejected': { description: 'The operator rejected an enrollment.', data: Enrollment, audience: everyone },
  'user.created': { description: 'A user was added to an organization.', data: User, audience: everyone },
  'user.deleted': { description: 'A user was deleted (data: its id).', data: Deleted, audience: everyone },
  'credit_terms.set': { description: 'A provider set a reseller\'s credit limit.', data: CreditTerms, audience: partners },
  'webhook.test': { description: 'Sent on request to check an endpoint.', data: TestData, audience: everyone },
} as const satisfies Record<string, EventTypeDefinition>;

export type EventType = keyof typeof eventTypes;
export const eventTypeNames = Object.keys(eventTypes) as EventType[];
export const EventTypeName = z.enum(eventTypeNames as [EventType, ...EventType[]]);

/** Audited actions that are published as events (the webhooks module maps each to its event type). */
export const publishedActions: ReadonlySet<string> = new Set(eventTypeNames.filter((t) => t !== 'webhook.test'));

export const EventTypeInfo = z
  .object({ name: EventTypeName, description: z.string(), schema: z.record(z.string(), z.unknown()) })
  .meta({ id: 'EventType' });
export const EventTypeList = z.object({ items: z.array(EventTypeInfo) });

/** An https address (http is accepted only where private networks are allowed: development and tests). */
const EndpointUrl = z
  .url({ protocol: /^https?$/, normalize: true })
  .max(2000)
  .regex(/^[^\u0000]*$/, 'must not contain NUL characters');
const Description = z.string().trim().max(500).regex(/^[^\u0000]*$/, 'must not contain NUL characters');

export const CreateWebhookEndpointBody = z
  .object({
    url: EndpointUrl,
    description: Description.optional(),
    /** Empty: every event type the organization may receive. */
    eventTypes: z.array(EventTypeName).max(eventTypeNames.length).default([]),
  })
  .strict();
export type CreateWebhookEndpointBody = z.infer<typeof CreateWebhookEndpointBody>;

export const UpdateWebhookEndpointBody = z
  .object({
    url: EndpointUrl.optional(),
    description: Description.optional(),
    eventTypes: z.array(EventTypeName).max(eventTypeNames.length).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change url, description, eventTypes or enabled');
export type UpdateWebhookEndpointBody = z.infer<typeof UpdateWebhookEndpointBody>;

export const WebhookEndpoint = z
  .object({
    id: Id,
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(EventTypeName),
    enabled: z.boolean(),
    /** Why it was switched off by Tierlink (`gone`: the receiver answered 410; `failing`: three days of failures). */
    disabledReason: z.enum(['gone', 'failing']).nullable(),
    /** Until then, messages are signed with the previous secret too. */
    previousSecretExpiresAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** The signing secret (`whsec_…`) is in this answer only. */
export const WebhookEndpointWithSecret = z.object({ endpoint: WebhookEndpoint, secret: z.string() });

export const WebhookAttempt = z.object({
  attemptedAt: Timestamp,
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  /** The first 2 KB of the receiver's answer. */
  response: z.string().nullable(),
});

export const WebhookDeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);
export const WebhookDelivery = z
  .object({
    /** The `webhook-id` header: the same on every attempt, so receivers can deduplicate. */
    id: z.string(),
    endpointId: Id,
    eventType: EventTypeName,
    status: WebhookDeliveryStatus,
    createdAt: Timestamp,
    nextAttemptAt: Timestamp.nullable(),
    attempts: z.array(WebhookAttempt),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryQuery = z
  .object({
    status: WebhookDeliveryStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

/** `webhook-id` values: `msg_` and a UUID. */
export const WebhookDeliveryParams = z.object({ id: z.string().regex(/^msg_[0-9a-f-]{36}$/, 'a delivery id (msg_…)') }).strict();
