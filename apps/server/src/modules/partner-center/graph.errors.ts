import type { ErrorCode, Problem } from '@tierlink/contract';

/**
 * Microsoft Graph error codes of the `/v1.0/tenantRelationships` facade (docs/partner-center-api.md
 * lists the same table). A native code answers with its own HTTP status and the Graph code of that
 * status, unless a Graph code documented for the very situation is named here.
 */
export const graphCodesByStatus: Readonly<Record<number, string>> = {
  400: 'Request_BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'Request_ResourceNotFound',
  405: 'Request_BadRequest',
  409: 'notAllowed',
  410: 'Request_ResourceNotFound',
  412: 'resourceModified',
  413: 'Request_BadRequest',
  415: 'Request_BadRequest',
  422: 'Request_BadRequest',
  428: 'Request_BadRequest',
  429: 'activityLimitReached',
  500: 'generalException',
  501: 'notSupported',
  503: 'serviceNotAvailable',
};

/** Native codes with a Graph code of their own (Graph's general error codes and directory codes). */
export const graphCodeOverrides: Readonly<Record<string, string>> = {
  display_name_taken: 'nameAlreadyExists',
  precondition_failed: 'resourceModified',
  relationship_transition_invalid: 'notAllowed',
  relationship_not_editable: 'notAllowed',
};

export function graphCode(code: ErrorCode | string, status: number): string {
  return graphCodeOverrides[code] ?? graphCodesByStatus[status] ?? (status >= 500 ? 'generalException' : 'Request_BadRequest');
}

export interface GraphErrorBody {
  error: { code: string; message: string };
}

export function toGraphError(problem: Problem): GraphErrorBody {
  return { error: { code: graphCode(problem.code, problem.status), message: problem.detail ?? problem.title } };
}
