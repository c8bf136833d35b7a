import { z } from 'zod';

/** Every error code the API answers with, and its HTTP status. Codes are stable: clients branch on them. */
export const errorStatus = {
  validation_failed: 400,
  malformed_body: 400,
  consent_required: 400,
  country_mismatch: 400,
  password_too_common: 400,
  webmail_not_allowed: 400,
  idempotency_key_required: 400,
  attestation_required: 400,
  webhook_url_not_allowed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  mfa_required: 401,
  invalid_mfa_code: 401,
  forbidden: 403,
  csrf_origin_mismatch: 403,
  invitation_email_mismatch: 403,
  wrong_organization_kind: 403,
  role_ceiling: 403,
  partner_not_verified: 403,
  mfa_enrollment_required: 403,
  password_change_required: 403,
  not_found: 404,
  delegated_admin_required: 403,
  partner_of_record_required: 403,
  invitation_not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  enrollment_not_pending: 409,
  already_enrolled: 409,
  mfa_already_enrolled: 409,
  last_global_admin: 409,
  seats_exhausted: 409,
  seats_in_use: 409,
  idempotency_in_progress: 409,
  domain_taken: 409,
  invitation_not_pending: 409,
  partnership_exists: 409,
  partnership_not_active: 409,
  relationship_exists: 409,
  relationship_not_active: 409,
  grant_not_active: 409,
  conflict: 409,
  invitation_expired: 410,
  verification_expired: 410,
  precondition_failed: 412,
  body_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  credit_limit_exceeded: 422,
  currency_mismatch: 422,
  quantity_out_of_range: 422,
  billing_cycle_unavailable: 422,
  precondition_required: 428,
  rate_limited: 429,
  invitation_quota_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
  /** Beyond the server's in-flight bound; comes with Retry-After. */
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

/** RFC 9457 problem details with Tierlink's extension members. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]),
    requestId: z.string(),
    field: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
