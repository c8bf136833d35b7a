import type { ErrorCode, Problem } from '@tierlink/contract';

/**
 * Every native error code and the numeric code the Partner Center–compatible API answers with
 * (PC error-codes.md; docs/partner-center-api.md lists the same table). The HTTP status is always
 * the native one, which the OpenAPI document declares. Where Partner Center documents a code for
 * the same situation it is used; the others get a Tierlink code in the 971000 range, which Partner
 * Center does not use. `null`: the answer has another shape (429: `{ statusCode, message }`).
 */
// Keyed by string, not ErrorCode: a code added natively must not break the build; the test that
// walks the native list fails instead, until the code has its line here and in the docs.
export const partnerCenterCodes: Readonly<Record<string, number | null>> = {
  validation_failed: 2000,
  malformed_body: 2000,
  consent_required: 971001,
  country_mismatch: 2201,
  password_too_common: 971002,
  webmail_not_allowed: 971003,
  idempotency_key_required: 971004,
  attestation_required: 971005,
  webhook_url_not_allowed: 971006,
  unauthenticated: 800001,
  invalid_credentials: 971007,
  mfa_required: 971008,
  invalid_mfa_code: 971009,
  forbidden: 900150,
  csrf_origin_mismatch: 2032,
  invitation_email_mismatch: 971010,
  wrong_organization_kind: 971011,
  role_ceiling: 900150,
  partner_not_verified: 800039,
  mfa_enrollment_required: 971012,
  password_change_required: 971013,
  not_found: 1000,
  delegated_admin_required: 2032,
  partner_of_record_required: 800016,
  invitation_not_found: 1000,
  method_not_allowed: 971014,
  email_taken: 971015,
  enrollment_not_pending: 971016,
  already_enrolled: 971017,
  mfa_already_enrolled: 971018,
  last_global_admin: 971019,
  seats_exhausted: 60012,
  seats_in_use: 800090,
  idempotency_in_progress: 800060,
  domain_taken: 971020,
  invitation_not_pending: 971021,
  partnership_exists: 971022,
  partnership_not_active: 971023,
  relationship_exists: 971024,
  relationship_not_active: 20002,
  grant_not_active: 971025,
  conflict: 971026,
  invitation_expired: 971027,
  verification_expired: 971028,
  precondition_failed: 2055,
  body_too_large: 971029,
  unsupported_media_type: 971030,
  idempotency_key_reused: 971031,
  credit_limit_exceeded: 971032,
  currency_mismatch: 971033,
  quantity_out_of_range: 2002,
  billing_cycle_unavailable: 971034,
  precondition_required: 971035,
  rate_limited: null,
  invitation_quota_exceeded: null,
  internal_error: 971036,
  service_unavailable: 971037,
  overloaded: 971038,
  auto_extend_not_allowed: 971039,
  reseller_not_shared: 971040,
  relationship_not_editable: 971041,
  relationship_transition_invalid: 971042,
  display_name_taken: 971043,
  amendment_not_pending: 971044,
  offboarding_item_unknown: 971045,
  offboarding_action_invalid: 971046,
  offboarding_plan_stale: 971047,
  customer_admin_protected: 971048,
};

/** A code not in the table yet (added natively since): the generic Partner Center code of its status. */
const byStatus: Record<number, number> = { 400: 2000, 401: 800001, 403: 2032, 404: 1000, 409: 971026, 412: 2055, 500: 971036, 503: 971037 };

/** Not-found codes Partner Center documents per resource (404/1000 otherwise). */
export const notFoundCodes = { customer: 60003, user: 60002, subscription: 20003, order: 20000, partner: 3000 } as const;
export type NotFoundResource = keyof typeof notFoundCodes;

/** Answered for an operation of Partner Center that Tierlink does not offer (501). */
export const notSupportedCode = 971100;

export function partnerCenterCode(code: ErrorCode, status: number): number {
  return partnerCenterCodes[code] ?? byStatus[status] ?? 971026;
}

export interface PartnerCenterError {
  code: number;
  description: string;
  data: string[];
  source: 'PartnerFD';
}

export interface ThrottleError {
  statusCode: number;
  message: string;
}

/** A problem+json answer in Partner Center's error shape; 429 in its throttling shape. */
export function toPartnerCenterError(problem: Problem, retryAfterSeconds: number | null, resource?: NotFoundResource): PartnerCenterError | ThrottleError {
  if (problem.status === 429) {
    const wait = retryAfterSeconds ?? 1;
    return { statusCode: 429, message: `Rate limit is exceeded. Try again in ${wait} seconds.` };
  }
  const code = problem.code === 'not_found' && resource !== undefined ? notFoundCodes[resource] : partnerCenterCode(problem.code, problem.status);
  // Descriptions are at most 1024 characters (PC error-codes.md).
  const description = (problem.detail ?? problem.title).slice(0, 1024);
  return { code, description, data: [], source: 'PartnerFD' };
}

/** RFC 6749 §5.2 error answer of the token endpoint. */
export interface OAuthError {
  error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'temporarily_unavailable' | 'server_error';
  error_description: string;
}

export function toOAuthError(problem: Problem): OAuthError | ThrottleError {
  const error: OAuthError['error'] =
    problem.code === 'invalid_credentials' || problem.code === 'unauthenticated'
      ? 'invalid_client'
      : problem.field === 'grant_type'
        ? 'unsupported_grant_type'
        : problem.status === 503
          ? 'temporarily_unavailable'
          : problem.status >= 500
            ? 'server_error'
            : 'invalid_request';
  return { error, error_description: problem.detail ?? problem.title };
}

/** Whether a payload on its way out is one of our problem+json answers. */
export function isProblem(payload: unknown): payload is Problem {
  if (typeof payload !== 'object' || payload === null) return false;
  const p = payload as { type?: unknown; code?: unknown; status?: unknown };
  return typeof p.type === 'string' && p.type.startsWith('https://tierlink.dev/problems/') && typeof p.code === 'string' && typeof p.status === 'number';
}
