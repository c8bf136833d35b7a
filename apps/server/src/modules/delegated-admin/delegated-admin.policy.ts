import type { Actor } from '../../platform/actor.ts';
import type { GrantRow } from './delegated-admin.repository.ts';

/** Either side may end a grant: the partner that holds it or the organization that gave it. */
export function isGrantParty(actor: Actor, grant: GrantRow): boolean {
  return grant.partnerOrganizationId === actor.organizationId || grant.organizationId === actor.organizationId;
}
