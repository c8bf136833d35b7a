import { z } from 'zod';

/** Directory roles administer the organization itself. */
export const directoryRoles = ['global_admin', 'user_admin', 'billing_admin'] as const;
/** Agent roles act for the partner towards customers. */
export const agentRoles = ['admin_agent', 'sales_agent', 'helpdesk_agent'] as const;
/** Customer roles: `delegated_admin_approver` approves, rejects and terminates delegated admin relationships, and nothing else. */
export const customerRoles = ['delegated_admin_approver'] as const;
export const roles = [...directoryRoles, ...agentRoles, ...customerRoles] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const programs = ['indirect_provider', 'indirect_reseller'] as const;
export const Program = z.enum(programs);
export type Program = z.infer<typeof Program>;

/** What an organization is to the program; a plain organization is a (potential) customer. */
export const organizationKinds = ['operator', 'partner', 'customer'] as const;
export const OrganizationKind = z.enum(organizationKinds);
export type OrganizationKind = z.infer<typeof OrganizationKind>;

/** Roles a delegated admin grant gives the partner's admin agents inside the granting organization. */
export const delegatedRoles = ['user_admin', 'license_admin', 'helpdesk'] as const;
export const DelegatedRole = z.enum(delegatedRoles);
export type DelegatedRole = z.infer<typeof DelegatedRole>;
