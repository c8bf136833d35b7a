import { createHash } from 'node:crypto';
import type { OffboardingAction, OffboardingItem, OffboardingItemKind } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';

/** What ends: a partnership seen from one side, or the caller's relationship with a customer. */
export type OffboardingSubject =
  | { kind: 'partnership'; side: 'provider' | 'reseller'; otherId: string }
  | { kind: 'customer_relationship'; customerId: string };

/**
 * A plan item as the server keeps it: the item the API shows, plus what the plan's ETag hashes
 * (`version`: the row's state and whatever a change to it would alter) and what carrying it out
 * needs (`customerId` of a subscription, the credit line's currency).
 */
export interface PlanItem extends OffboardingItem {
  version: string;
  customerId: string | null;
  currency: string | null;
}

export interface Plan {
  subject: { kind: 'partnership' | 'customer_relationship'; id: string; organization: { id: string; name: string; domain: string; country: string } };
  items: PlanItem[];
  etag: string;
}

/** The actions an item offers and the one it takes when the caller names none. */
export function offer(actions: readonly OffboardingAction[], fallback: OffboardingAction): Pick<OffboardingItem, 'actions' | 'default'> {
  return { actions: [...actions], default: fallback };
}

/**
 * Strong ETag of a plan: a hash of the subject and of every item's kind, id, version and offered
 * actions, in the plan's order. Anything that changes what the plan would do changes it.
 */
export function planEtag(subjectId: string, items: readonly PlanItem[]): string {
  const hash = createHash('sha256');
  hash.update(subjectId);
  for (const item of items) hash.update(`\n${item.kind}|${item.id}|${item.version}|${item.actions.join(',')}`);
  return `"${hash.digest('base64url')}"`;
}

export interface Choice {
  item: PlanItem;
  action: OffboardingAction;
}

/**
 * The action for every item of the plan: the caller's choice where it named the item, else the
 * default. Naming an item the plan does not hold, or an action it does not offer, is a 400 at the
 * field (`actions.<id>`).
 */
export function chooseActions(plan: Plan, chosen: Readonly<Record<string, OffboardingAction>>): Choice[] {
  const byId = new Map(plan.items.map((i) => [i.id, i]));
  for (const [id, action] of Object.entries(chosen)) {
    const item = byId.get(id);
    if (item === undefined) throw new AppError('offboarding_item_unknown', 'The plan holds no item with this id.', `actions.${id}`);
    if (!item.actions.includes(action)) {
      throw new AppError('offboarding_action_invalid', `A ${item.kind} item offers ${item.actions.join(', ')}, not ${action}.`, `actions.${id}`);
    }
  }
  return plan.items.map((item) => ({ item, action: chosen[item.id] ?? item.default }));
}

/** The items of one kind whose chosen action is `action`. */
export function chosenOf(choices: readonly Choice[], kind: OffboardingItemKind, action: OffboardingAction): PlanItem[] {
  return choices.filter((c) => c.item.kind === kind && c.action === action).map((c) => c.item);
}
