import type { DelegatedAdminGrant, DelegatedRole } from '@tierlink/contract';
import type { GrantRow, GrantView } from './delegated-admin.repository.ts';

/** A grant past its end date is expired even before the sweep has written it down. */
export function effectiveState(grant: GrantRow, now: Date): DelegatedAdminGrant['state'] {
  if (grant.state === 'active' && grant.endsAt !== null && grant.endsAt.getTime() <= now.getTime()) return 'expired';
  return grant.state;
}

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
