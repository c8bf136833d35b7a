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

/**
 * The credit lines between the caller and the partners of one page (`side` is the partners'), in
 * one request: the lists show a credit column, which would otherwise cost a request per row.
 */
export function useCreditLines(side: PartnerSide, ids: readonly string[], enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.creditLines(side, ids),
    queryFn: async ({ signal }) => {
      const query = { ids: ids.join(',') };
      const answer = side === 'reseller' ? await api.listResellerCredit({ query, signal }) : await api.listProviderCredit({ query, signal });
      return new Map(answer.items.map((line) => [side === 'reseller' ? line.reseller.id : line.provider.id, line]));
    },
    enabled: enabled && ids.length > 0,
  });
}

/** Customer admin center: every partner of the organization. */
export function useCustomerPartners(): Paged<CustomerPartner> {
  return usePaged(queryKeys.customerPartners.all, (cursor, signal) => api.listPartners({ query: { cursor }, signal }));
}
