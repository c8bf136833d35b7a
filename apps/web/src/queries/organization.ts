import { useQuery } from '@tanstack/react-query';
import type { AuditEvent, Invitation, MailboxMessage, User } from '@tierlink/client';
import type { InvitationSort, InvitationState } from '@tierlink/contract';
import { api } from '../api.ts';
import { usePaged, type Paged } from '../components/usePaged.ts';
import { queryKeys } from './keys.ts';

export function useUsers(): Paged<User> {
  return usePaged(queryKeys.users.all, (cursor, signal) => api.listUsers({ query: { cursor }, signal }));
}

export function useApiKeys() {
  return useQuery({ queryKey: queryKeys.apiKeys.all, queryFn: ({ signal }) => api.listApiKeys({ signal }) });
}

/** The audit log's filters as the API takes them (absent: not filtered). */
export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
}

export function useAuditEvents(filter: AuditFilter): Paged<AuditEvent> {
  return usePaged(queryKeys.auditEvents.list(filter), (cursor, signal) => api.listAuditEvents({ query: { cursor, ...filter }, signal }));
}

/** How Sent invitations is filtered and sorted (the server does both). */
export interface InvitationListView {
  state: InvitationState | '';
  email: string;
  sort: InvitationSort;
  order: 'asc' | 'desc';
  limit: number;
}

/** The invitations the organization sent, a page at a time in the order asked. */
export function useInvitations(view: InvitationListView): Paged<Invitation> {
  return usePaged(queryKeys.invitations.list(view), (cursor, signal) =>
    api.listInvitations({
      query: { cursor, state: view.state === '' ? undefined : view.state, email: view.email === '' ? undefined : view.email, sort: view.sort, order: view.order, limit: view.limit },
      signal,
    }),
  );
}

/** The embedded mailbox; an empty address lists every message the caller may read. */
export function useMailbox(to: string): Paged<MailboxMessage> {
  return usePaged(queryKeys.mailbox.list({ to }), (cursor, signal) => api.listMailbox({ query: { cursor, to: to === '' ? undefined : to }, signal }));
}
