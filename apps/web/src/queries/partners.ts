import { useQuery } from '@tanstack/react-query';
import type { CustomerPartner, IndirectProvider, IndirectReseller } from '@tierlink/client';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys, type PartnerSide } from './keys.ts';

/** A provider's reseller or a reseller's provider: the organization, the partnership, the admin access. */
export type IndirectPartner = IndirectProvider | IndirectReseller;

function listPartners(side: PartnerSide, query: { cursor?: string | undefined; limit?: number }, signal: AbortSignal) {
  return side === 'reseller' ? api.listIndirectResellers({ query, signal }) : api.listIndirectProviders({ query, signal });
}

/** The caller's resellers or providers, a page at a time. */
export function useIndirectPartners(side: PartnerSide): Paged<IndirectPartner> {
  return usePaged(queryKeys.partners(side).all, (cursor, signal) => listPartners(side, { cursor }, signal));
}

/** Up to 200 resellers or providers, for choosing one by name. */
export function useIndirectPartnerNames(side: PartnerSide, enabled = true) {
  return useQuery({ queryKey: queryKeys.partners(side).names, queryFn: ({ signal }) => listPartners(side, { limit: 200 }, signal), enabled });
}

/** The credit line between the caller and one partner (`side` is the partner's). */
export function useCredit(side: PartnerSide, id: string) {
  return useQuery({
    queryKey: queryKeys.credit(side, id),
    queryFn: ({ signal }) => (side === 'reseller' ? api.getResellerCredit({ id, signal }) : api.getProviderCredit({ id, signal })),
  });
}

/** Customer admin center: every partner of the organization. */
export function useCustomerPartners(): Paged<CustomerPartner> {
  return usePaged(queryKeys.customerPartners.all, (cursor, signal) => api.listPartners({ query: { cursor }, signal }));
}
