import { z } from 'zod';
import { CountFlag, Id, OrganizationSummary, Timestamp } from './common.ts';
import { DelegatedRole, delegatedRoles } from './roles.ts';

interface DelegatedRoleRule {
  /** What the partner's admin agents may do in the customer's organization through this role. */
  readonly allows: string;
  /**
   * The role reaches the customer's directory, where its administrators live: such a relationship
   * may not auto-extend (GDAP refuses auto-extend with Global Administrator for the same reason).
   */
  readonly managesAdmins: boolean;
}

/** The delegated roles a relationship may carry, and what each allows (the portal's role picker reads this). */
export const delegatedRoleTable = {
  user_admin: {
    allows: 'List the customer\'s users (its administrators among them), add users without admin roles and remove them; never assign admin roles',
    managesAdmins: true,
  },
  license_admin: { allows: 'Assign licenses of the customer\'s subscriptions to its users and remove them', managesAdmins: false },
  helpdesk: { allows: 'Reset the passwords of the customer\'s users who are not global admins', managesAdmins: false },
} as const satisfies Record<DelegatedRole, DelegatedRoleRule>;

/** True when any of `roles` may reach the customer's administrators (auto-extend is refused then). */
export function managesAdmins(roles: readonly DelegatedRole[]): boolean {
  return roles.some((role) => delegatedRoleTable[role].managesAdmins);
}

export const minRelationshipDays = 1;
export const maxRelationshipDays = 730;
/** Days a relationship waits for approval before it lapses. */
export const approvalLapseDays = 90;
/** An active relationship is `expiring` this many days before its end. */
export const expiringDays = 30;
/** Reminders to both sides, days before the end. */
export const reminderDays = [30, 7, 1] as const;

/** An ISO 8601 duration in whole days, P1D–P730D (GDAP's P1D–P2Y). */
export const RelationshipDuration = z
  .string()
  .regex(/^P[1-9][0-9]{0,2}D$/, 'an ISO 8601 duration in days, P1D to P730D')
  .refine((d) => Number(d.slice(1, -1)) <= maxRelationshipDays, 'at most P730D');
export const AutoExtendDuration = z.enum(['P0D', 'P180D']);
export type AutoExtendDuration = z.infer<typeof AutoExtendDuration>;

/** The days of a duration this API accepted (`P30D` → 30). */
export function durationDays(duration: string): number {
  return Number(duration.slice(1, -1));
}

export const relationshipStates = ['created', 'approval_pending', 'active', 'expiring', 'expired', 'rejected', 'lapsed', 'terminated'] as const;
export const RelationshipState = z.enum(relationshipStates);
export type RelationshipState = z.infer<typeof RelationshipState>;

/** Roles of a request: at least one, each once. */
const RelationshipRoles = z
  .array(DelegatedRole)
  .min(1)
  .max(delegatedRoles.length)
  .refine((roles) => new Set(roles).size === roles.length, 'each role once');

const RelationshipName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\u0000]*$/, 'must not contain NUL characters');

export const DelegatedAdminAmendment = z
  .object({
    id: Id,
    relationshipId: Id,
    /** Null: the roles stay as they are. */
    roles: z.array(DelegatedRole).nullable(),
    /** Null: the duration stays as it is. A new duration counts from the relationship's start. */
    duration: z.string().nullable(),
    state: z.enum(['pending', 'approved', 'rejected', 'superseded']),
    createdAt: Timestamp,
    decidedAt: Timestamp.nullable(),
  })
  .meta({ id: 'DelegatedAdminAmendment' });
export type DelegatedAdminAmendment = z.infer<typeof DelegatedAdminAmendment>;

export const DelegatedAdminRelationship = z
  .object({
    id: Id,
    /** Unique per partner; null for relationships the seed's invitations created. */
    displayName: z.string().nullable(),
    partner: OrganizationSummary,
    customer: OrganizationSummary,
    /** Three-party: the reseller that shares the customer and consents before the customer is asked. */
    reseller: OrganizationSummary.nullable(),
    resellerConsentedAt: Timestamp.nullable(),
    roles: z.array(DelegatedRole),
    /** Null: no end (an invitation without a duration). */
    duration: z.string().nullable(),
    autoExtendDuration: AutoExtendDuration,
    state: RelationshipState,
    /** The invitation whose acceptance created it, if one did. */
    invitationId: Id.nullable(),
    createdAt: Timestamp,
    approvalRequestedAt: Timestamp.nullable(),
    /** When the customer approved or rejected (or accepted the invitation). */
    decidedAt: Timestamp.nullable(),
    /** When it became active. */
    activatedAt: Timestamp.nullable(),
    endsAt: Timestamp.nullable(),
    terminatedAt: Timestamp.nullable(),
    terminatedBy: z.enum(['partner', 'customer']).nullable(),
    /** The page where the customer approves or rejects: `{PUBLIC_URL}/delegated-admin/{id}` (while approval is pending). */
    approvalUrl: z.string().nullable(),
    pendingAmendment: DelegatedAdminAmendment.nullable(),
    /** The version as read (also the ETag header): PATCH sends it back as If-Match. */
    etag: z.string(),
  })
  .meta({ id: 'DelegatedAdminRelationship' });
export type DelegatedAdminRelationship = z.infer<typeof DelegatedAdminRelationship>;

export const CreateDelegatedAdminRelationshipBody = z
  .object({
    displayName: RelationshipName,
    customerId: Id,
    roles: RelationshipRoles,
    duration: RelationshipDuration,
    autoExtendDuration: AutoExtendDuration.default('P0D'),
    /** Three-party (providers only): the reseller of record it shares the customer with. */
    resellerId: Id.optional(),
  })
  .strict();
export type CreateDelegatedAdminRelationshipBody = z.infer<typeof CreateDelegatedAdminRelationshipBody>;

export const UpdateDelegatedAdminRelationshipBody = z
  .object({
    displayName: RelationshipName.optional(),
    roles: RelationshipRoles.optional(),
    duration: RelationshipDuration.optional(),
    autoExtendDuration: AutoExtendDuration.optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field');
export type UpdateDelegatedAdminRelationshipBody = z.infer<typeof UpdateDelegatedAdminRelationshipBody>;

export const relationshipActions = ['lock_for_approval', 'terminate', 'approve', 'reject', 'consent'] as const;
export const RelationshipAction = z.enum(relationshipActions);
export type RelationshipAction = z.infer<typeof RelationshipAction>;
export const DelegatedAdminRequestBody = z.object({ action: RelationshipAction }).strict();

export const ProposeAmendmentBody = z
  .object({ roles: RelationshipRoles.optional(), duration: RelationshipDuration.optional() })
  .strict()
  .refine((b) => b.roles !== undefined || b.duration !== undefined, 'propose roles, a duration or both');
export type ProposeAmendmentBody = z.infer<typeof ProposeAmendmentBody>;

export const AmendmentParams = z.object({ id: Id, amendmentId: Id }).strict();

export const DelegatedAdminRelationshipListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    state: RelationshipState.optional(),
    /** The other organization: the customer (partner's view) or the partner (customer's view). */
    organizationId: Id.optional(),
    count: CountFlag,
  })
  .strict();
export type DelegatedAdminRelationshipListQuery = z.infer<typeof DelegatedAdminRelationshipListQuery>;

/** Something waiting for the caller's organization: a customer's approval of a request or an amendment, a reseller's consent. */
export const DelegatedAdminPendingRequest = z
  .object({
    kind: z.enum(['approval', 'amendment', 'consent']),
    relationship: DelegatedAdminRelationship,
  })
  .meta({ id: 'DelegatedAdminPendingRequest' });
export type DelegatedAdminPendingRequest = z.infer<typeof DelegatedAdminPendingRequest>;

/** A relationship unused this many days is flagged in the access trace. */
export const unusedAccessDays = 90;

/** One way a partner's users can act in a customer's organization, and what was done through it. */
export const DelegatedAdminAccessPath = z
  .object({
    relationship: DelegatedAdminRelationship,
    /** How it came to be: an accepted invitation, or a request the customer approved. */
    origin: z.enum(['invitation', 'request']),
    /** The last action done through it (from the audit log); null: never used. */
    lastUsedAt: Timestamp.nullable(),
    /** The latest actions done through it, newest first (at most five). */
    lastActions: z.array(z.object({ id: Id, action: z.string(), occurredAt: Timestamp, actorDisplayName: z.string().nullable() })),
    /** Nothing was done through it for 90 days (counted from its activation when never used). */
    unused: z.boolean(),
  })
  .meta({ id: 'DelegatedAdminAccessPath' });
export type DelegatedAdminAccessPath = z.infer<typeof DelegatedAdminAccessPath>;

export const AccessTrace = z
  .object({
    partner: OrganizationSummary,
    customer: OrganizationSummary,
    /** Every relationship in force through which the partner's admin agents act in the customer. */
    items: z.array(DelegatedAdminAccessPath),
  })
  .meta({ id: 'AccessTrace' });
export type AccessTrace = z.infer<typeof AccessTrace>;
