import { z } from 'zod';
import { Country, DisplayName, Email, Id, Password, Timestamp } from './common.ts';
import { Program } from './roles.ts';

export const RegisterMembershipBody = z
  .object({
    membershipId: z.string().trim().min(3).max(40),
    legalName: DisplayName,
    country: Country,
    accountEmail: Email,
    accountPassword: Password,
  })
  .strict();
export type RegisterMembershipBody = z.infer<typeof RegisterMembershipBody>;
/** Bulk registration; as CSV the header is `membership_id,legal_name,country,account_email,account_password`. */
export const ImportMembershipsBody = z.object({ items: z.array(RegisterMembershipBody).min(1).max(1000) }).strict();
export const Membership = z
  .object({ id: Id, membershipId: z.string(), legalName: z.string(), country: z.string(), accountEmail: z.string() })
  .meta({ id: 'Membership' });
export const ImportMembershipsResult = z.object({ imported: z.number().int(), items: z.array(Membership) });

export const MembershipSignInBody = z.object({ accountEmail: Email, accountPassword: z.string().min(1).max(1024) }).strict();
export const MembershipSignIn = z.object({
  /** Proves the sign-in to the membership account for 30 minutes; send it with the enrollment. */
  membershipToken: z.string(),
  profiles: z.array(z.object({ membershipId: z.string(), legalName: z.string(), country: z.string() })),
});

export const EnrollBody = z
  .object({
    program: Program,
    membershipToken: z.string().min(1).max(200),
    membershipId: z.string().trim().min(3).max(40),
    legalProfile: z.object({ name: DisplayName, address: z.string().trim().min(3).max(500) }).strict(),
    primaryContact: z.object({ name: DisplayName, email: Email, phone: z.string().trim().min(5).max(40) }).strict(),
    supportProfile: z
      .object({ email: Email, phone: z.string().trim().min(5).max(40), website: z.url().max(300) })
      .strict(),
  })
  .strict();
export type EnrollBody = z.infer<typeof EnrollBody>;

export const EnrollmentState = z.enum(['email_unverified', 'in_review', 'approved', 'rejected']);
export const Enrollment = z
  .object({
    id: Id,
    organizationId: Id,
    organizationName: z.string(),
    program: Program,
    state: EnrollmentState,
    membershipId: z.string().nullable(),
    legalProfile: z.object({ name: z.string(), address: z.string() }).nullable(),
    primaryContact: z.object({ name: z.string(), email: z.string(), phone: z.string() }).nullable(),
    supportProfile: z.object({ email: z.string(), phone: z.string(), website: z.string() }).nullable(),
    decisionReason: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Enrollment' });

export const VerifyEmailBody = z.object({ token: z.string().min(1).max(200) }).strict();
export const RejectEnrollmentBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
export const EnrollmentListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
    state: EnrollmentState.optional(),
  })
  .strict();
