import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { queryKeys } from './keys.ts';

/** The subscriptions of a customer the caller is party to (the API filters). */
export function useSubscriptions(customerId: string, enabled = true) {
  return useQuery({ queryKey: queryKeys.customer.subscriptions(customerId), queryFn: ({ signal }) => api.listCustomerSubscriptions({ id: customerId, signal }), enabled });
}

/** The orders of a customer the caller is party to, newest first. */
export function useOrders(customerId: string) {
  return useQuery({ queryKey: queryKeys.customer.orders(customerId), queryFn: ({ signal }) => api.listOrders({ id: customerId, signal }) });
}

/** Customer admin center: the organization's own subscriptions. */
export function useOwnSubscriptions() {
  return useQuery({ queryKey: queryKeys.ownSubscriptions.all, queryFn: ({ signal }) => api.listOwnSubscriptions({ signal }) });
}

/** Products and SKUs; they change rarely. */
export function useCatalog(enabled = true) {
  return useQuery({ queryKey: queryKeys.catalog.all, queryFn: ({ signal }) => api.listProducts({ signal }), enabled, staleTime: 60_000 });
}
