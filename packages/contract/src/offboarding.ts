import { z } from 'zod';
import { Id, OrganizationSummary } from './common.ts';
import { DelegatedRole } from './roles.ts';

/*
 * One-step offboarding: a plan of everything ending a partnership or a customer relationship
 * leaves behind, each item with the actions the plan offers, and one request that carries the
 * chosen actions out (docs/offboarding.md).
 */

export const offboardingActions = ['end', 'keep', 'hand_over'] as const;
export const OffboardingAction = z.enum(offboardingActions);
export type OffboardingAction = z.infer<typeof OffboardingAction>;

export const offboardingItemKinds = [
  'partnership',
  'customer_relationship',
  'shared_customer',
  'delegated_admin',
  'invitation',
  'subscription',
  'credit_line',
] as const;
export const OffboardingItemKind = z.enum(offboardingItemKinds);
export type OffboardingItemKind = z.infer<typeof OffboardingItemKind>;

export const OffboardingItem = z
  .object({
    /** The row's own id (the customer's organization id for a shared customer). */
    id: Id,
    kind: OffboardingItemKind,
    /** What the item is, in words (names, roles, SKU, amount). */
    label: z.string(),
    /** The other organization(s) concerned: the customer, the partner in whose organization access is held. */
    organization: OrganizationSummary.nullable(),
    /** Roles of a delegated admin relationship; empty for other kinds. */
    roles: z.array(DelegatedRole),
    /** Three-party relationship: the reseller it names. */
    viaReseller: OrganizationSummary.nullable(),
    actions: z.array(OffboardingAction).min(1),
    default: OffboardingAction,
  })
  .meta({ id: 'OffboardingItem' });
export type OffboardingItem = z.infer<typeof OffboardingItem>;

export const OffboardingPlan = z
  .object({
    /** What ends: the partnership, or the caller's reseller relationship with the customer. */
    subject: z.object({ kind: z.enum(['partnership', 'customer_relationship']), id: Id, organization: OrganizationSummary }),
    items: z.array(OffboardingItem),
    /** The same value as the ETag header: send it back in If-Match. */
    etag: z.string(),
  })
  .meta({ id: 'OffboardingPlan' });
export type OffboardingPlan = z.infer<typeof OffboardingPlan>;

export const OffboardingAttestation = z
  .object({
    /** The caller confirms it ends the relationship in good faith and has told the other side what it means. */
    attest: z.boolean(),
    /** Why; kept in the audit log. */
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

export const OffboardBody = z
  .object({
    /** Chosen action per item id; an item not named takes its default. */
    actions: z.record(Id, OffboardingAction).default({}),
    attestation: OffboardingAttestation,
    notices: z
      .object({
        /** Email the other organization's global admins (the reseller, the provider, or the customer). */
        otherParty: z.boolean().default(false),
        /** Email the customers handed over (a partnership's shared customers). */
        customers: z.boolean().default(false),
      })
      .strict()
      .default({ otherParty: false, customers: false }),
  })
  .strict();
export type OffboardBody = z.input<typeof OffboardBody>;

export const OffboardingResult = z
  .object({
    subject: z.object({ kind: z.enum(['partnership', 'customer_relationship']), id: Id, organization: OrganizationSummary }),
    /** Every item of the plan with the action carried out. */
    items: z.array(z.object({ id: Id, kind: OffboardingItemKind, action: OffboardingAction })),
  })
  .meta({ id: 'OffboardingResult' });
export type OffboardingResult = z.infer<typeof OffboardingResult>;

export const OffboardHeaders = z.looseObject({
  'if-match': z.string().max(200).optional().meta({ description: 'Required: the ETag of the offboarding plan as read' }),
});
