import { useQuery } from '@tanstack/react-query';
import type { Customer } from '@tierlink/client';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

/** The caller's customers; an empty name lists all. */
export function useCustomers(name: string): Paged<Customer> {
  return usePaged(queryKeys.customers.list({ name }), (cursor, signal) => api.listCustomers({ query: { cursor, name: name === '' ? undefined : name }, signal }));
}

/** Reseller: the customers it shares with one provider. */
export function useSharedCustomers(providerId: string): Paged<Customer> {
  return usePaged(queryKeys.sharedCustomers(providerId), (cursor, signal) => api.listSharedCustomers({ id: providerId, query: { cursor }, signal }));
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
