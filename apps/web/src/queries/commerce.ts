import { useQuery } from '@tanstack/react-query';
import type { Order, Subscription } from '@tierlink/client';
import type { OrderSort, OrderState, SortOrder, SubscriptionSort, SubscriptionStatus } from '@tierlink/contract';
import { api } from '../api.ts';
import { useCountedPaged, type CountedPaged } from '../components/lists.tsx';
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

/** What the partner-wide Subscriptions page shows: filter, sort and page size. */
export interface PartnerSubscriptionView {
  customerName: string;
  status: SubscriptionStatus | '';
  sort: SubscriptionSort;
  order: SortOrder;
  limit: number;
}

/** The filter as the list and its export take it. */
export function partnerSubscriptionFilter(view: PartnerSubscriptionView) {
  return { customerName: view.customerName === '' ? undefined : view.customerName, status: view.status === '' ? undefined : view.status, sort: view.sort, order: view.order };
}

/** Subscriptions the caller is provider or reseller of record of, across its customers. */
export function usePartnerSubscriptions(view: PartnerSubscriptionView): CountedPaged<Subscription> {
  return useCountedPaged(queryKeys.partnerSubscriptions.list(view), (cursor, count, signal) =>
    api.listPartnerSubscriptions({ query: { ...partnerSubscriptionFilter(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}

export interface PartnerOrderView {
  customerName: string;
  state: OrderState | '';
  sort: OrderSort;
  order: SortOrder;
  limit: number;
}

export function partnerOrderFilter(view: PartnerOrderView) {
  return { customerName: view.customerName === '' ? undefined : view.customerName, state: view.state === '' ? undefined : view.state, sort: view.sort, order: view.order };
}

/** Orders the caller is provider or reseller of record of, across its customers. */
export function usePartnerOrders(view: PartnerOrderView): CountedPaged<Order> {
  return useCountedPaged(queryKeys.partnerOrders.list(view), (cursor, count, signal) =>
    api.listPartnerOrders({ query: { ...partnerOrderFilter(view), limit: view.limit, cursor, count: count ? 'true' : undefined }, signal }),
  );
}
