import type { DelegatedRole } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export interface DelegatedFacts {
  /** The actor's organization has an active relationship with the customer. */
  related: boolean;
  /** The actor's organization's grants in force in the customer's organization. */
  grants: { id: string; roles: readonly string[] }[];
}

/**
 * Who administers a customer's users and licenses (DESIGN §6): the customer's own global and user
 * admins, or a partner's admin agents through a live delegated admin grant holding the needed role
 * (helpdesk agents may reset passwords). Returns the grant acted through, or null for the
 * customer's own admins. A partner that has neither a relationship nor a grant sees 404.
 */
export function delegatedAdminDecision(actor: Actor, customerId: string, need: DelegatedRole, facts: DelegatedFacts): { grantId: string } | null {
  if (actor.organizationId === customerId) {
    if (actor.organizationKind === 'customer' && (actor.roles.includes('global_admin') || actor.roles.includes('user_admin'))) return null;
    throw new AppError('forbidden', 'Only the organization\'s global or user admins manage its users.');
  }
  if (actor.organizationKind !== 'partner' || (!facts.related && facts.grants.length === 0)) throw notFound('customer');
  const agent = actor.roles.includes('admin_agent') || (need === 'helpdesk' && actor.roles.includes('helpdesk_agent'));
  const grant = facts.grants.find((g) => g.roles.includes(need));
  if (!agent || grant === undefined) {
    throw new AppError(
      'delegated_admin_required',
      agent ? `Your organization holds no delegated admin grant with the ${need} role in this customer.` : 'Only admin agents act as delegated admins.',
    );
  }
  return { grantId: grant.id };
}
