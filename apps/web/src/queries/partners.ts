import { useQuery } from '@tanstack/react-query';
import type { CustomerPartner, IndirectProvider, IndirectReseller } from '@tierlink/client';
import { api } from '../api.ts';
import type { CustomerPartnerSort, PartnershipListQuery, PartnershipSort, SortOrder } from '@tierlink/contract';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
import { queryKeys, type PartnerSide } from './keys.ts';

/** A provider's reseller or a reseller's provider: the organization, the partnership, the admin access. */
export type IndirectPartner = IndirectProvider | IndirectReseller;

/** The partner lists' query: every key optional (the server fills defaults). */
type PartnerQuery = Partial<PartnershipListQuery>;

function listPartners(side: PartnerSide, query: PartnerQuery, signal: AbortSignal) {
  return side === 'reseller' ? api.listIndirectResellers({ query, signal }) : api.listIndirectProviders({ query, signal });
}

/** How a partner list is searched and sorted (the server does both); an empty search lists all. */
export interface PartnerListView {
  search: string;
  sort: PartnershipSort;
  order: SortOrder;
  limit: number;
}

/** The view as the API's query: an empty search is left out. */
export function partnerQuery(view: PartnerListView) {
  return { search: view.search === '' ? undefined : view.search, sort: view.sort, order: view.order };
}

/** The caller's resellers or providers, a page at a time in the order asked, counted with the first page. */
export function useIndirectPartners(side: PartnerSide, view: PartnerListView): CountedPaged<IndirectPartner> {
  return useCountedPaged<IndirectPartner>([...queryKeys.partners(side).all, view], (cursor, count, signal) =>
    listPartners(side, { ...partnerQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal),
  );
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
/** How a customer admin's partner list is searched and sorted (the server does both). */
export interface CustomerPartnerListView {
  search: string;
  sort: CustomerPartnerSort;
  order: SortOrder;
  limit: number;
}

/** The view as the API's query: an empty search is left out. */
export function customerPartnerQuery(view: CustomerPartnerListView) {
  return { search: view.search === '' ? undefined : view.search, sort: view.sort, order: view.order };
}

export function useCustomerPartners(view: CustomerPartnerListView): CountedPaged<CustomerPartner> {
  return useCountedPaged([...queryKeys.customerPartners.all, view], (cursor, count, signal) =>
    api.listPartners({ query: { ...customerPartnerQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}
