import type { OrganizationKind, Program, Role } from '@tierlink/contract';

/** Who is calling, resolved from committed state on every request (no cached authorization). */
export interface Actor {
  readonly type: 'user' | 'api_key';
  readonly userId: string | null;
  readonly apiKeyId: string | null;
  readonly sessionId: string | null;
  readonly displayName: string;
  /** The signed-in user's email; null for API keys. */
  readonly email: string | null;
  readonly organizationId: string;
  readonly organizationKind: OrganizationKind;
  readonly roles: readonly Role[];
  readonly approvedPrograms: readonly Program[];
  /** Signed in with a temporary password: may only change it (and read /me, sign out). */
  readonly mustChangePassword: boolean;
  /** The user has a confirmed authenticator; always false for API keys (app-only, exempt). */
  readonly mfaEnrolled: boolean;
}
