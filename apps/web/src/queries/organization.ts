import { useQuery } from '@tanstack/react-query';
import type { AuditEvent, Invitation, MailboxMessage, User } from '@tierlink/client';
import type { InvitationState } from '@tierlink/contract';
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

/** The invitations the organization sent; an empty state lists all. */
export function useInvitations(state: InvitationState | ''): Paged<Invitation> {
  return usePaged(queryKeys.invitations.list({ state }), (cursor, signal) =>
    api.listInvitations({ query: { cursor, state: state === '' ? undefined : state }, signal }),
  );
}

/** The embedded mailbox; an empty address lists every message the caller may read. */
export function useMailbox(to: string): Paged<MailboxMessage> {
  return usePaged(queryKeys.mailbox.list({ to }), (cursor, signal) => api.listMailbox({ query: { cursor, to: to === '' ? undefined : to }, signal }));
}
