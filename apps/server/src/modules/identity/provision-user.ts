import type { Role } from '@tierlink/contract';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { newTemporaryPassword } from '../../platform/tokens.ts';
import type { Executor } from '../../db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { temporaryPasswordLifetimeMs } from './identity.policy.ts';
import { findUserByEmail, type UserRow } from './identity.queries.ts';
import { insertUser } from './identity.repository.ts';

type Provisioning = { tx: Executor; clock: Clock };

export interface ProvisionUserInput {
  organizationId: string;
  email: string;
  displayName: string;
  roles: Role[];
  /**
   * A password the user chose (already checked against the password rules): active at once, email
   * proven. Without it a temporary password is generated, returned once and must be changed at
   * first sign-in.
   */
  password?: string;
}

/**
 * A user with an email no other user has (`email_taken` at `field` otherwise). Authorization and
 * the audit event are the caller's: who may add whom differs per use case.
 */
export async function provisionUser(
  ctx: Provisioning,
  input: ProvisionUserInput & { password: string },
  field?: string,
): Promise<{ user: UserRow; temporaryPassword: null }>;
export async function provisionUser(ctx: Provisioning, input: Omit<ProvisionUserInput, 'password'>, field?: string): Promise<{ user: UserRow; temporaryPassword: string }>;
export async function provisionUser(ctx: Provisioning, input: ProvisionUserInput, field = 'email'): Promise<{ user: UserRow; temporaryPassword: string | null }> {
  if ((await findUserByEmail(ctx.tx, input.email)) !== undefined) {
    throw new AppError('email_taken', 'A user with this email already exists.', field);
  }
  const now = ctx.clock.now();
  const temporaryPassword = input.password === undefined ? newTemporaryPassword() : null;
  const user = await insertUser(ctx.tx, {
    id: newId(),
    organizationId: input.organizationId,
    email: input.email,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password ?? temporaryPassword ?? ''),
    roles: input.roles,
    status: 'active',
    mustChangePassword: temporaryPassword !== null,
    ...(temporaryPassword === null
      ? { emailVerifiedAt: now }
      : { temporaryPasswordExpiresAt: new Date(now.getTime() + temporaryPasswordLifetimeMs) }),
    createdAt: now,
  });
  return { user, temporaryPassword };
}
