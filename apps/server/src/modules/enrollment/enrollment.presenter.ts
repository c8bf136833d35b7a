import type { AccountRow, EnrollmentView, MembershipRow } from './enrollment.repository.ts';

export function presentEnrollment({ profile, organizationName }: EnrollmentView) {
  return {
    id: profile.id,
    organizationId: profile.organizationId,
    organizationName,
    program: profile.program,
    state: profile.state,
    membershipId: profile.membershipId,
    legalProfile: profile.legalProfile ?? null,
    primaryContact: profile.primaryContact ?? null,
    supportProfile: profile.supportProfile ?? null,
    decisionReason: profile.decisionReason,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export function presentMembership({ membership, account }: { membership: MembershipRow; account: AccountRow }) {
  return { id: membership.id, membershipId: membership.membershipId, legalName: membership.legalName, country: membership.country, accountEmail: account.email };
}
