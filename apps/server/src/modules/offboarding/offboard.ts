import type { OffboardingAction } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { etagOf, setCreditLimit, updateSubscription } from '../commerce/index.ts';
import { removeRelationship, type SubscriptionsLeftBehind } from '../customers/index.ts';
import { listGrantViews, revokeDelegatedAdmin } from '../delegated-admin/index.ts';
import { findOrganization, listOrganizationAdmins } from '../identity/index.ts';
import { revokeInvitation } from '../invitations/index.ts';
import { endPartnership } from '../partnerships/index.ts';
import { chooseActions, chosenOf, type Choice, type OffboardingSubject, type Plan } from './offboarding.policy.ts';
import { buildPlan } from './plan-offboarding.ts';

export interface OffboardInput {
  actions: Record<string, OffboardingAction>;
  attestation: { attest: boolean; reason: string };
  notices: { otherParty: boolean; customers: boolean };
}

/** The plan already names the subscriptions and what happens to each; removing a relationship need not list them again. */
const noListing: SubscriptionsLeftBehind = async () => [];

export interface Offboarded {
  plan: Plan;
  choices: Choice[];
}

/**
 * Carries a plan out in the caller's one transaction: the plan is computed again (the partnership
 * locked first) and must still hash to `ifMatch`, else nothing happens (412; 428 without it). Each item goes
 * through its owning module's use case, which audits it; one summary event records the whole.
 * Subscriptions and the credit line go first (their use cases need the relationship and the
 * partnership still active), the subject last.
 */
export async function offboard(ctx: UseCaseContext, subject: OffboardingSubject, input: OffboardInput, ifMatch: string | undefined): Promise<Offboarded> {
  // The plan first: a partner or customer the caller does not have is 404 whatever else is sent.
  const plan = await buildPlan(ctx, subject, { lock: true });
  if (ifMatch === undefined) throw new AppError('precondition_required', 'Send If-Match with the ETag of the offboarding plan you previewed.');
  if (!input.attestation.attest) {
    throw new AppError('attestation_required', 'Confirm that you end this relationship in good faith and have told the other side what it means.', 'attestation.attest');
  }
  if (plan.etag !== ifMatch) throw new AppError('offboarding_plan_stale', 'Something the plan names changed since you previewed it; preview again.');
  const choices = chooseActions(plan, input.actions);
  const me = ctx.actor.organizationId;

  for (const item of chosenOf(choices, 'subscription', 'end')) {
    if (item.customerId !== null) await updateSubscription(ctx, item.customerId, item.id, { status: 'suspended' }, etagOf(Number(item.version)));
  }
  for (const item of chosenOf(choices, 'credit_line', 'end')) {
    if (subject.kind === 'partnership' && item.currency !== null) await setCreditLimit(ctx, subject.otherId, { limit: 0, currency: item.currency });
  }
  for (const item of chosenOf(choices, 'invitation', 'end')) await revokeInvitation(ctx, item.id);
  for (const item of chosenOf(choices, 'delegated_admin', 'end')) await revokeDelegatedAdmin(ctx, item.id);

  // Handing a joint customer over: the caller leaves it, with its own admin access there, except
  // relationships the plan lists as items of their own (they follow their own action).
  const listed = new Set(choices.filter((c) => c.item.kind === 'delegated_admin').map((c) => c.item.id));
  for (const item of chosenOf(choices, 'shared_customer', 'hand_over')) {
    await removeRelationship(ctx, item.id, { attestation: true, revokeDelegatedAdmin: false, notifyCustomer: input.notices.customers }, noListing);
    for (const view of await listGrantViews(ctx.tx, { partnerOrganizationId: me, organizationId: item.id, liveAt: ctx.clock.now() })) {
      if (!listed.has(view.grant.id)) await revokeDelegatedAdmin(ctx, view.grant.id);
    }
  }

  const other = plan.subject.organization;
  if (subject.kind === 'partnership') {
    await endPartnership(ctx, subject.side, subject.otherId);
  } else {
    await removeRelationship(ctx, subject.customerId, { attestation: true, revokeDelegatedAdmin: false, notifyCustomer: input.notices.otherParty }, noListing);
  }

  await ctx.audit.record({
    action: 'offboarding.completed',
    target: { type: subject.kind === 'partnership' ? 'partnership' : 'reseller_relationship', id: plan.subject.id },
    organizationIds: [me, other.id],
    before: { etag: plan.etag },
    after: {
      attestation: true,
      reason: input.attestation.reason,
      notices: input.notices,
      items: choices.map((c) => ({ id: c.item.id, kind: c.item.kind, action: c.action })),
    },
  });

  if (subject.kind === 'partnership' && input.notices.otherParty) {
    const self = await findOrganization(ctx.tx, me);
    const name = self?.name ?? 'Your partner';
    const ended = choices.filter((c) => c.action !== 'keep' && c.item.kind !== 'partnership').map((c) => `- ${c.item.label}: ${c.action.replace('_', ' ')}`);
    for (const admin of await listOrganizationAdmins(ctx.tx, other.id)) {
      await ctx.outbox.email(
        {
          to: admin.email,
          subject: `${name} ended its partnership with ${other.name}`,
          text: `Hello ${admin.displayName},\n\n${name} has ended its partnership with ${other.name}.\n` +
            (ended.length === 0 ? 'Everything else stays as it was.\n' : `With it, it ended or handed over:\n${ended.join('\n')}\n`),
        },
        'offboarding.completed',
      );
    }
  }
  return { plan, choices };
}
