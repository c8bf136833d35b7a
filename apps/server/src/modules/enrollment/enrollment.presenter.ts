import { presentPartnerProfile } from '../organizations/index.ts';
import type { AccountRow, EnrollmentView, MembershipRow } from './enrollment.repository.ts';

/** A partner profile with the enrollment's answers and the operator's decision. */
export function presentEnrollment(view: EnrollmentView) {
  const { profile } = view;
  return {
    ...presentPartnerProfile(view),
    legalProfile: profile.legalProfile ?? null,
    primaryContact: profile.primaryContact ?? null,
    supportProfile: profile.supportProfile ?? null,
    decisionReason: profile.decisionReason,
    updatedAt: profile.updatedAt.toISOString(),
  };
}

export function presentMembership({ membership, account }: { membership: MembershipRow; account: AccountRow }) {
  return { id: membership.id, membershipId: membership.membershipId, legalName: membership.legalName, country: membership.country, accountEmail: account.email };
}
