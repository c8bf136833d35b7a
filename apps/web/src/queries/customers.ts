import { useQuery } from '@tanstack/react-query';
import type { Customer } from '@tierlink/client';
import { api } from '../api.ts';
import type { CustomerSort, SortOrder } from '@tierlink/contract';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
import { queryKeys } from './keys.ts';

/** How a customer list is searched and sorted (the server does both); an empty search lists all. */
export interface CustomerListView {
  search: string;
  sort: CustomerSort;
  order: SortOrder;
  limit: number;
}

/** Names, domains and countries start A→Z; "since" starts with the newest relationship. */
export const customerNaturalOrder = (by: CustomerSort): SortOrder => (by === 'since' ? 'desc' : 'asc');

/** The view as the API's query: an empty search is left out. */
export function customerQuery(view: CustomerListView) {
  return { search: view.search === '' ? undefined : view.search, sort: view.sort, order: view.order };
}

/** The caller's customers, a page at a time in the order asked, counted with the first page. */
export function useCustomers(view: CustomerListView): CountedPaged<Customer> {
  return useCountedPaged([...queryKeys.customers.all, view], (cursor, count, signal) =>
    api.listCustomers({ query: { ...customerQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}

/** Reseller: the customers it shares with one provider. */
export function useSharedCustomers(providerId: string, view: CustomerListView): CountedPaged<Customer> {
  return useCountedPaged([...queryKeys.sharedCustomers(providerId), view], (cursor, count, signal) =>
    api.listSharedCustomers({ id: providerId, query: { ...customerQuery(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}

export function useCustomer(id: string) {
  return useQuery({ queryKey: queryKeys.customer.all(id), queryFn: ({ signal }) => api.getCustomer({ id, signal }) });
}

export function useCustomerGrants(id: string) {
  return useQuery({ queryKey: queryKeys.customer.grants(id), queryFn: ({ signal }) => api.listCustomerGrants({ id, signal }) });
}

/** A customer's users, through a user admin grant; a refusal is the answer (not retried). */
export function useCustomerUsers(id: string, enabled: boolean) {
  return useQuery({ queryKey: queryKeys.customer.users(id), queryFn: ({ signal }) => api.listCustomerUsers({ id, signal }), enabled, retry: false });
}
