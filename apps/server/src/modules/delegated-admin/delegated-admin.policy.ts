import type { DelegatedAdminGrant } from '@tierlink/contract';
import type { Actor } from '../../platform/actor.ts';
import type { GrantRow } from './delegated-admin.queries.ts';

/** Either side may end a grant: the partner that holds it or the organization that gave it. */
export function isGrantParty(actor: Actor, grant: GrantRow): boolean {
  return grant.partnerOrganizationId === actor.organizationId || grant.organizationId === actor.organizationId;
}

/** A grant past its end date is expired even before the sweep has written it down. */
export function effectiveState(grant: GrantRow, now: Date): DelegatedAdminGrant['state'] {
  if (grant.state === 'active' && grant.endsAt !== null && grant.endsAt.getTime() <= now.getTime()) return 'expired';
  return grant.state;
}
