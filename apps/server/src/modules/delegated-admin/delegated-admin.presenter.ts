import type { DelegatedAdminGrant, DelegatedRole } from '@tierlink/contract';
import { effectiveState } from './delegated-admin.policy.ts';
import type { GrantView } from './delegated-admin.queries.ts';

export function presentGrant(view: GrantView, now: Date): DelegatedAdminGrant {
  const { grant } = view;
  return {
    id: grant.id,
    partner: view.partner,
    organization: view.organization,
    roles: grant.roles as DelegatedRole[],
    state: effectiveState(grant, now),
    startsAt: grant.startsAt.toISOString(),
    endsAt: grant.endsAt?.toISOString() ?? null,
    revokedAt: grant.revokedAt?.toISOString() ?? null,
  };
}
