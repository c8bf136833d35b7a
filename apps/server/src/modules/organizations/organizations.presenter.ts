import type { CsvCell } from '../../platform/http/csv-response.ts';
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

/** The operator's partner export: its columns, in order. */
export const partnerProfileCsvColumns = ['organization_id', 'organization_name', 'program', 'state', 'membership_id', 'profile_id', 'created_at'] as const;

export function partnerProfileCsvCells({ profile, organizationName }: PartnerListRow): CsvCell[] {
  return [profile.organizationId, organizationName, profile.program, profile.state, profile.membershipId, profile.id, profile.createdAt.toISOString()];
}
