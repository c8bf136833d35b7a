import type { Partnership } from '@tierlink/contract';
import type { PartnershipView } from './partnerships.repository.ts';
import type { CsvCell } from '../../platform/http/csv-response.ts';
import type { GrantView, OrganizationRef } from '../delegated-admin/index.ts';

export function presentPartnership(view: PartnershipView): Partnership {
  const p = view.partnership;
  return {
    id: p.id,
    provider: view.provider,
    reseller: view.reseller,
    state: p.state,
    createdAt: p.createdAt.toISOString(),
    endedAt: p.endedAt?.toISOString() ?? null,
  };
}

/** The CSV export's columns of both partner lists, in order. */
export const partnershipCsvColumns = ['organization_id', 'name', 'domain', 'country', 'partnership_id', 'since', 'delegated_admin_roles', 'delegated_admin_ends_at'] as const;

/**
 * One partnership as a CSV row: `other` is the end the list shows (the reseller of a provider's
 * list, the provider of a reseller's); `grant` the provider's live admin grant in the reseller.
 */
export function partnershipCsvCells(view: PartnershipView, other: OrganizationRef, grant: GrantView | null): CsvCell[] {
  return [
    other.id,
    other.name,
    other.domain,
    other.country,
    view.partnership.id,
    view.partnership.createdAt.toISOString(),
    grant === null ? null : [...grant.grant.roles].sort().join(' '),
    grant?.grant.endsAt?.toISOString() ?? null,
  ];
}
