import type { DelegatedAdminGrant, DelegatedRole } from '@tierlink/contract';
import { effectiveState, type RelationshipState } from './delegated-admin.policy.ts';
import type { GrantView } from './delegated-admin.queries.ts';

/** The seed's grant states, as the grant endpoints keep answering them (only relationships that were ever active are grants). */
function legacyState(state: RelationshipState): DelegatedAdminGrant['state'] {
  if (state === 'active' || state === 'expiring') return 'active';
  if (state === 'expired') return 'expired';
  return 'revoked';
}

/** A relationship as the seed's grant endpoints present it. */
export function presentGrant(view: GrantView, now: Date): DelegatedAdminGrant {
  const { grant } = view;
  return {
    id: grant.id,
    partner: view.partner,
    organization: view.organization,
    roles: grant.roles as DelegatedRole[],
    state: legacyState(effectiveState(grant, now)),
    startsAt: (grant.startsAt ?? grant.createdAt).toISOString(),
    endsAt: grant.endsAt?.toISOString() ?? null,
    revokedAt: grant.revokedAt?.toISOString() ?? null,
  };
}
