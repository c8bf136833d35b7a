import { z } from 'zod';
import { Country, CountFlag, DisplayName, Domain, Email, FilterText, Id, Password, SortOrder, Timestamp } from './common.ts';
import { OrganizationKind, Program, Role } from './roles.ts';
import { permissionNames, type Permission } from './permissions.ts';

export const NewOrganization = z
  .object({ name: DisplayName, domain: Domain, country: Country })
  .strict();

export const NewAdmin = z.object({ displayName: DisplayName, email: Email, password: Password }).strict();

export const SignUpBody = z
  .object({
    organization: NewOrganization,
    admin: NewAdmin,
    /** Signing up from an invitation: the token proves the admin's email address. */
    invitation: z.object({ id: Id, token: z.string().min(1).max(200) }).strict().optional(),
  })
  .strict();
export type SignUpBody = z.infer<typeof SignUpBody>;

export const Organization = z
  .object({
    id: Id,
    name: z.string(),
    domain: z.string(),
    country: z.string(),
    kind: OrganizationKind,
    programs: z.array(z.object({ program: Program, state: z.string(), membershipId: z.string().nullable() })),
    createdAt: Timestamp,
  })
  .meta({ id: 'Organization' });
export type Organization = z.infer<typeof Organization>;

export const User = z
  .object({
    id: Id,
    organizationId: Id,
    displayName: z.string(),
    email: z.string(),
    roles: z.array(Role),
    status: z.enum(['active', 'disabled']),
    mustChangePassword: z.boolean(),
    /** A confirmed authenticator app (TOTP); partner and operator users cannot work without one. */
    mfaEnrolled: z.boolean(),
    createdAt: Timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const SignUpResponse = z.object({ organization: Organization, user: User });

export const SignInBody = z
  .object({
    email: Email,
    password: z.string().min(1).max(1024),
    /** The authenticator app's current code, once the user has MFA. */
    totpCode: z.string().max(16).optional(),
    /** Instead of a code: one of the one-time recovery codes. */
    recoveryCode: z.string().max(64).optional(),
  })
  .strict();

export const TotpEnrollment = z
  .object({
    /** Base32 seed, for typing into an authenticator app. */
    secret: z.string(),
    /** The same as an otpauth:// URI, for a QR code. */
    otpauthUri: z.string(),
  })
  .meta({ id: 'TotpEnrollment' });
export const ConfirmTotpBody = z.object({ code: z.string().trim().regex(/^[0-9]{6}$/, 'six digits') }).strict();
export const RecoveryCodes = z
  .object({
    /** Shown once; each signs in once in place of a code. */
    recoveryCodes: z.array(z.string()),
  })
  .meta({ id: 'RecoveryCodes' });

export const PermissionName = z.enum(permissionNames as [Permission, ...Permission[]]);

export const Me = z
  .object({
    user: User.nullable(),
    apiKey: z.object({ id: Id, name: z.string() }).nullable(),
    organization: Organization,
    permissions: z.array(PermissionName),
    /** This session may do nothing but set up MFA (and change the password, sign out). */
    mfaEnrollmentRequired: z.boolean(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

/** What User management may be sorted by (`created`: when the user was added); ties by id. */
export const userSorts = ['name', 'email', 'created'] as const;
export type UserSort = (typeof userSorts)[number];

const UserFilter = z.object({
  /** Case-insensitive prefix of the name or of the email address. */
  search: FilterText(254).min(1).optional(),
  sort: z.enum(userSorts).default('name'),
  order: SortOrder.default('asc'),
});

export const UserListQuery = UserFilter.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  count: CountFlag,
}).strict();

export const UserExportQuery = UserFilter.strict();
export const AddUserBody = z
  .object({ displayName: DisplayName, email: Email, roles: z.array(Role).max(6).default([]) })
  .strict();
export const UpdateUserBody = z
  .object({ displayName: DisplayName.optional(), roles: z.array(Role).max(6).optional(), status: z.enum(['active', 'disabled']).optional() })
  .strict();
export const AddedUser = z.object({
  user: User,
  /** Shown exactly once; valid for 72 hours and only to sign in and choose a new password. */
  temporaryPassword: z.string(),
});

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(1024), newPassword: Password })
  .strict();

export const ApiKey = z
  .object({
    id: Id,
    name: z.string(),
    prefix: z.string(),
    roles: z.array(Role),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export const CreateApiKeyBody = z
  .object({ name: DisplayName, roles: z.array(Role).min(1).max(6) })
  .strict();
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string() });
