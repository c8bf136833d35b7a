import { z } from 'zod';
import { CountFlag, Email, Id, OrganizationSummary, Timestamp } from './common.ts';
import { DelegatedRole } from './roles.ts';

/** Roles a customer grants unless the invitation names others: enough to run the tenant, not to own it. */
export const defaultDelegatedRoles = ['user_admin', 'license_admin', 'helpdesk'] as const;

export const invitationKinds = ['partnership', 'reseller_relationship'] as const;
export const InvitationKind = z.enum(invitationKinds);
export const InvitationState = z.enum(['pending', 'accepted', 'declined', 'revoked', 'expired']);
export type InvitationState = z.infer<typeof InvitationState>;

export const defaultInvitationDays = 7;
export const maxInvitationDays = 30;

const ExpiresInDays = z.number().int().min(1).max(maxInvitationDays).default(defaultInvitationDays);

export const Invitation = z
  .object({
    id: Id,
    kind: InvitationKind,
    email: z.string(),
    state: InvitationState,
    inviter: OrganizationSummary,
    /** Joint customer invitations: the provider the customer accepts together with the reseller. */
    provider: OrganizationSummary.nullable(),
    delegatedRoles: z.array(DelegatedRole),
    delegatedAdminDays: z.number().int().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    acceptedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Invitation' });
export type Invitation = z.infer<typeof Invitation>;

export const InvitationEmail = z
  .object({ to: z.string(), subject: z.string(), text: z.string(), link: z.string() })
  .meta({ id: 'InvitationEmail' });

export const CreatedInvitation = z.object({
  invitation: Invitation,
  /** The personalized email; `link` carries the token and is shown only in this answer. */
  email: InvitationEmail,
  sent: z.boolean(),
});

export const CreateResellerInvitationBody = z
  .object({
    email: Email,
    expiresInDays: ExpiresInDays,
    /** Optional personal note put above the link. */
    message: z.string().trim().max(2000).optional(),
  })
  .strict();

export const CreateCustomerInvitationBody = z
  .object({
    email: Email,
    /** Joint invitation: one of the reseller's indirect providers (organization id). */
    indirectProviderId: Id.optional(),
    expiresInDays: ExpiresInDays,
    delegatedRoles: z.array(DelegatedRole).min(1).max(3).optional(),
    /** How long the delegated admin grants last once accepted; without it they last until revoked. */
    delegatedAdminDays: z.number().int().min(1).max(730).optional(),
    /** Let Tierlink send the email (otherwise the draft is only returned). */
    send: z.boolean().default(false),
    /** The editable text of the email; the personal link is always appended by Tierlink. */
    text: z.string().trim().max(5000).optional(),
  })
  .strict();

/** "Send with Tierlink" for a draft: the same invitation and link, emailed with the edited text. */
export const SendInvitationBody = z
  .object({
    /** The token of the draft's personal link: the email carries that same link. */
    token: z.string().min(1).max(200),
    /** The editable text of the email; without it the draft's text. */
    text: z.string().trim().max(5000).optional(),
  })
  .strict();

export const InvitationTokenQuery = z.object({ token: z.string().min(1).max(200) }).strict();

/** What the invitee sees before deciding; never changes state. */
export const InvitationPreview = z
  .object({
    id: Id,
    kind: InvitationKind,
    state: InvitationState,
    email: z.string(),
    inviter: OrganizationSummary,
    provider: OrganizationSummary.nullable(),
    delegatedRoles: z.array(DelegatedRole),
    delegatedAdminDays: z.number().int().nullable(),
    expiresAt: Timestamp,
  })
  .meta({ id: 'InvitationPreview' });

export const AcceptInvitationBody = z
  .object({ token: z.string().min(1).max(200), consent: z.boolean() })
  .strict();
export const DeclineInvitationBody = z.object({ token: z.string().min(1).max(200) }).strict();

/** The columns Sent invitations sorts by (a cursor belongs to the sort it was made with). */
export const invitationSorts = ['createdAt', 'expiresAt', 'email'] as const;
export type InvitationSort = (typeof invitationSorts)[number];

export const InvitationListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    state: InvitationState.optional(),
    /** Case-insensitive prefix of the invitee's email. */
    email: z.string().trim().max(254).optional(),
    sort: z.enum(invitationSorts).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    count: CountFlag,
  })
  .strict();

/** The CSV export takes the list's filters and sort, without paging: every matching invitation. */
export const InvitationExportQuery = InvitationListQuery.omit({ limit: true, cursor: true, count: true }).strict();
