import type { OffboardingPlan, OffboardingResult } from '@tierlink/contract';
import type { Choice, Plan } from './offboarding.policy.ts';

/** The plan as the API shows it: the items without what only the server needs. */
export function presentPlan(plan: Plan): OffboardingPlan {
  return {
    subject: plan.subject,
    items: plan.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      label: i.label,
      organization: i.organization,
      roles: i.roles,
      viaReseller: i.viaReseller,
      actions: i.actions,
      default: i.default,
    })),
    etag: plan.etag,
  };
}

export function presentOffboarded(plan: Plan, choices: readonly Choice[]): OffboardingResult {
  return { subject: plan.subject, items: choices.map((c) => ({ id: c.item.id, kind: c.item.kind, action: c.action })) };
}
