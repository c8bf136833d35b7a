import { z } from 'zod';
import { Id, maxRelationshipDays } from '@tierlink/contract';

/*
 * Shapes of the Graph delegated-admin part of the compatible API (`/v1.0/tenantRelationships/…`,
 * Microsoft Graph v1.0 `delegatedAdminRelationship` and friends, reference §12). Responses carry
 * OData annotations (`@odata.context`, `@odata.etag`); Tierlink's own annotation is namespaced
 * (`@tierlink.state`), as OData instance annotations are.
 */

export const GraphError = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'GraphError', description: 'Microsoft Graph error body; the native error code is in the Tierlink-Error-Code header.' });

export const graphStatuses = ['created', 'approvalPending', 'active', 'expiring', 'expired', 'terminated', 'activating', 'approved', 'terminating', 'terminationRequested'] as const;
export const GraphStatus = z.enum(graphStatuses);
export type GraphStatus = z.infer<typeof GraphStatus>;

const UnifiedRole = z.object({ roleDefinitionId: z.string() });
const AccessDetails = z.object({ unifiedRoles: z.array(UnifiedRole) });
const NullableTime = z.string().nullable();

export const GraphRelationship = z
  .object({
    '@odata.context': z.string().optional(),
    '@odata.type': z.literal('#microsoft.graph.delegatedAdminRelationship'),
    '@odata.etag': z.string(),
    '@tierlink.state': z.string(),
    id: z.string(),
    displayName: z.string(),
    duration: z.string(),
    customer: z.object({ tenantId: z.string(), displayName: z.string() }),
    accessDetails: AccessDetails,
    status: GraphStatus,
    autoExtendDuration: z.string(),
    createdDateTime: z.string(),
    lastModifiedDateTime: z.string(),
    activatedDateTime: NullableTime,
    endDateTime: NullableTime,
  })
  .meta({ id: 'GraphDelegatedAdminRelationship' });
export type GraphRelationship = z.infer<typeof GraphRelationship>;

export function graphCollection<T extends z.ZodType>(item: T, id: string) {
  return z.object({ '@odata.context': z.string(), '@odata.nextLink': z.string().optional(), value: z.array(item) }).meta({ id });
}

export const graphRequestActions = ['lockForApproval', 'approve', 'reject', 'terminate'] as const;
export const GraphRequestAction = z.enum(graphRequestActions);
export type GraphRequestAction = z.infer<typeof GraphRequestAction>;

export const GraphRelationshipRequest = z
  .object({
    '@odata.context': z.string().optional(),
    '@odata.type': z.literal('#microsoft.graph.delegatedAdminRelationshipRequest'),
    '@odata.etag': z.string(),
    id: z.string(),
    action: GraphRequestAction,
    status: z.enum(['created', 'running', 'succeeded', 'failed']),
    createdDateTime: z.string(),
    lastModifiedDateTime: z.string(),
  })
  .meta({ id: 'GraphDelegatedAdminRelationshipRequest' });
export type GraphRelationshipRequest = z.infer<typeof GraphRelationshipRequest>;

export const GraphAccessAssignment = z
  .object({
    '@odata.type': z.literal('#microsoft.graph.delegatedAdminAccessAssignment'),
    '@odata.etag': z.string(),
    id: z.string(),
    status: z.enum(['pending', 'active', 'deleting', 'deleted', 'error']),
    accessContainer: z.object({ accessContainerId: z.string(), accessContainerType: z.literal('securityGroup') }),
    accessDetails: AccessDetails,
    createdDateTime: z.string(),
    lastModifiedDateTime: z.string(),
  })
  .meta({ id: 'GraphDelegatedAdminAccessAssignment' });
export type GraphAccessAssignment = z.infer<typeof GraphAccessAssignment>;

/** ISO 8601 durations Graph documents for a relationship: P1D–P2Y (days, or whole years). */
const GraphDuration = z
  .string()
  .regex(/^P([1-9][0-9]{0,2}D|[12]Y)$/, 'an ISO 8601 duration between P1D and P2Y')
  .refine((d) => d.endsWith('Y') || Number(d.slice(1, -1)) <= maxRelationshipDays, 'at most P730D (P2Y)');
const GraphAutoExtend = z.enum(['PT0S', 'P0D', 'P180D']);
const RoleRequest = z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string().max(64) }).strict()).min(1).max(10) }).strict();

export const CreateGraphRelationshipBody = z
  .object({
    displayName: z.string().min(1).max(50),
    duration: GraphDuration,
    customer: z.object({ tenantId: Id, displayName: z.string().max(256).optional() }).strict(),
    accessDetails: RoleRequest,
    autoExtendDuration: GraphAutoExtend.optional(),
  })
  .strict();
export type CreateGraphRelationshipBody = z.infer<typeof CreateGraphRelationshipBody>;

export const UpdateGraphRelationshipBody = z
  .object({
    displayName: z.string().min(1).max(50).optional(),
    duration: GraphDuration.optional(),
    /** Graph's example sends the customer again: it must be the relationship's own. */
    customer: z.object({ tenantId: Id, displayName: z.string().max(256).optional() }).strict().optional(),
    accessDetails: RoleRequest.optional(),
    autoExtendDuration: GraphAutoExtend.optional(),
  })
  .strict();
export type UpdateGraphRelationshipBody = z.infer<typeof UpdateGraphRelationshipBody>;

export const GraphRequestBody = z.object({ action: GraphRequestAction }).strict();

export const GraphListQuery = z
  .object({
    $top: z.coerce.number().int().min(1).max(300).optional(),
    $skipToken: z.string().max(1024).optional(),
    $filter: z.string().max(200).optional(),
  })
  .strict();

export const GraphIfMatchHeaders = z.looseObject({ 'if-match': z.string().max(100).optional().meta({ description: 'Required: the relationship\'s @odata.etag as read' }) });
