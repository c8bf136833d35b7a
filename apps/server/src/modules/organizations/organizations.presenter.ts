import type { PartnerListRow } from './organizations.repository.ts';

export function presentPartnerProfile({ profile, organizationName }: PartnerListRow) {
  return {
    id: profile.id,
    organizationId: profile.organizationId,
    organizationName,
    program: profile.program,
    state: profile.state,
    membershipId: profile.membershipId,
    createdAt: profile.createdAt.toISOString(),
  };
}
