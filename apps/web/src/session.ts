import { useQuery, useSuspenseQuery, type QueryClient } from '@tanstack/react-query';
import { isApiError, type Me } from '@tierlink/client';
import type { Permission } from '@tierlink/contract';
import { api } from './api.ts';
import { queryKeys } from './queries/keys.ts';

/**
 * "A session was started in this browser". The session cookie is HttpOnly, so the portal cannot
 * see it; without this hint every visit of a signed-out page would ask /me and log a 401. It is
 * no credential: the server decides on every request, and a 401 clears the hint.
 */
const hintKey = 'tierlink.session';

export const sessionHint = {
  get(): boolean {
    try {
      return localStorage.getItem(hintKey) === '1';
    } catch {
      return false;
    }
  },
  set(): void {
    try {
      localStorage.setItem(hintKey, '1');
    } catch {
      // storage disabled: every visit starts signed out, which is safe
    }
  },
  clear(): void {
    try {
      localStorage.removeItem(hintKey);
    } catch {
      // nothing to clear
    }
  },
};

export const meQuery = { queryKey: queryKeys.me, queryFn: () => api.me(), staleTime: 60_000 };

/** The signed-in caller, or null. Never throws for "not signed in". */
export async function loadMe(queryClient: QueryClient): Promise<Me | null> {
  if (!sessionHint.get()) return null;
  try {
    return await queryClient.ensureQueryData(meQuery);
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      sessionHint.clear();
      queryClient.removeQueries({ queryKey: meQuery.queryKey });
      return null;
    }
    throw error;
  }
}

/** Inside the app shell the caller is known (the shell's route loads it first). */
export function useMe(): Me {
  return useSuspenseQuery(meQuery).data;
}

/** On a public page: the caller if a session was started in this browser, else null (without asking). */
export function useOptionalMe(): Me | null {
  return useQuery({ ...meQuery, enabled: sessionHint.get() }).data ?? null;
}

export function can(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

export function hasProgram(me: Me, program: 'indirect_provider' | 'indirect_reseller'): boolean {
  return me.organization.programs.some((p) => p.program === program && p.state === 'approved');
}

/**
 * A partner none of whose enrollments is approved yet. The API answers it `partner_not_verified`
 * everywhere but /me, its enrollment and MFA, so the portal leads it to the enrollment instead.
 */
export function awaitingApproval(me: Me): boolean {
  return me.organization.kind === 'partner' && !me.organization.programs.some((p) => p.state === 'approved');
}

/** Only same-origin paths are followed after sign-in (no open redirect). */
export function safeRedirect(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return undefined;
  return target;
}
