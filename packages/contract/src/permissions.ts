import type { OrganizationKind, Role } from './roles.ts';

interface PermissionRule {
  /** Roles of which the actor needs at least one. */
  readonly roles: readonly Role[];
  /** Kinds of organization whose users may hold the permission at all. */
  readonly organizationKinds: readonly OrganizationKind[];
  /** Partner programs of which the organization needs one approved profile (partners only). */
  readonly programs?: readonly ('indirect_provider' | 'indirect_reseller')[];
  readonly summary: string;
}

/**
 * The single source of truth for "what does the role allow". Routes name one entry, the portal
 * reads the caller's resolved list from /me, and the docs table is generated from this object.
 * Default deny: a permission not listed here cannot be granted.
 */
export const permissionTable = {
  'organization.read': {
    roles: ['global_admin', 'user_admin', 'billing_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent'],
    organizationKinds: ['operator', 'partner', 'customer'],
    summary: 'Read the own organization, its profile and the own account',
  },
  'users.manage': {
    roles: ['global_admin', 'user_admin'],
    organizationKinds: ['operator', 'partner', 'customer'],
    summary: 'Settings → User management: add users, change roles, disable, delete (user admins never touch global admins)',
  },
  'enrollment.manage': {
    roles: ['global_admin'],
    organizationKinds: ['customer', 'partner'],
    summary: 'Enroll the organization in a partner program and follow the enrollment',
  },
  'operator.memberships': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Operator: keep the program-membership registry',
  },
  'operator.enrollments': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Operator: review enrollments, approve or reject them',
  },
  'api_keys.manage': {
    roles: ['global_admin'],
    organizationKinds: ['operator', 'partner', 'customer'],
    summary: 'Create, list and revoke API keys',
  },
  'partnerships.invite': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    programs: ['indirect_provider'],
    summary: 'Invite indirect resellers',
  },
  'partnerships.read': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin'],
    organizationKinds: ['partner'],
    summary: 'List indirect providers and indirect resellers',
  },
  'partnerships.manage': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    summary: 'Accept or end partnerships, remove a provider\'s admin access',
  },
  'offboarding.read': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    summary: 'Preview what ending a partnership or a customer relationship leaves behind (the offboarding plan)',
  },
  'offboarding.manage': {
    roles: ['global_admin'],
    organizationKinds: ['partner'],
    summary: 'Offboard in one step: end a partnership or a customer relationship and what the plan names, with an attestation',
  },
  'customers.invite': {
    roles: ['global_admin', 'admin_agent', 'sales_agent'],
    organizationKinds: ['partner'],
    programs: ['indirect_provider', 'indirect_reseller'],
    summary: 'Request reseller relationships with customers',
  },
  'customers.read': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent'],
    organizationKinds: ['partner'],
    summary: 'Read customers and what the partner holds in them',
  },
  'customers.remove': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    summary: 'Remove a customer relationship, revoke the own delegated admin grants',
  },
  'invitations.manage': {
    roles: ['global_admin', 'admin_agent', 'sales_agent'],
    organizationKinds: ['partner'],
    summary: 'List and revoke the invitations the organization sent',
  },
  'invitations.accept': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner', 'customer'],
    summary: 'Accept an invitation addressed to the own email (customers: global admin only)',
  },
  'partners.read': {
    roles: ['global_admin', 'user_admin', 'billing_admin'],
    organizationKinds: ['customer'],
    summary: 'Customer admin: see every partner, its relationships and delegated admin grants',
  },
  'partners.revoke': {
    roles: ['global_admin'],
    organizationKinds: ['customer'],
    summary: 'Customer admin: revoke a partner\'s delegated admin grant',
  },
  'delegated_admin.read': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'user_admin', 'delegated_admin_approver'],
    organizationKinds: ['partner', 'customer'],
    summary: 'Read the delegated admin relationships the organization holds, is asked to approve or to consent to, and what waits for it',
  },
  'delegated_admin.manage': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    summary: 'Partner: request delegated admin relationships (create, change while created, delete), propose amendments',
  },
  'delegated_admin.act': {
    roles: ['global_admin', 'admin_agent', 'delegated_admin_approver'],
    organizationKinds: ['partner', 'customer'],
    summary: 'Act on a relationship: the partner locks it for approval or terminates it (global admin, admin agent); the named reseller consents (same roles); the customer approves, rejects or terminates it (global admin, delegated admin approver)',
  },
  'delegated_admin.approve': {
    roles: ['global_admin', 'delegated_admin_approver'],
    organizationKinds: ['customer'],
    summary: 'Customer: approve or reject amendments of delegated admin relationships',
  },
  'catalog.read': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin'],
    organizationKinds: ['operator', 'partner'],
    summary: 'Read the catalog (products, SKUs, prices)',
  },
  'catalog.manage': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Operator: create products and SKUs, change prices and bounds',
  },
  'orders.place': {
    roles: ['global_admin', 'admin_agent', 'sales_agent'],
    organizationKinds: ['partner'],
    programs: ['indirect_provider', 'indirect_reseller'],
    summary: 'Place orders for customers',
  },
  'subscriptions.read': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent'],
    organizationKinds: ['partner'],
    summary: 'Read customers\' orders and subscriptions',
  },
  'subscriptions.manage': {
    roles: ['global_admin', 'admin_agent', 'sales_agent'],
    organizationKinds: ['partner'],
    summary: 'Change subscription quantity and status',
  },
  'own_subscriptions.read': {
    roles: ['global_admin', 'user_admin', 'billing_admin'],
    organizationKinds: ['customer'],
    summary: 'Customer admin: read the own organization\'s subscriptions',
  },
  'credit.read': {
    roles: ['global_admin', 'billing_admin', 'admin_agent'],
    organizationKinds: ['partner'],
    summary: 'Read credit limits and exposure between providers and resellers',
  },
  'credit.manage': {
    roles: ['global_admin', 'billing_admin'],
    organizationKinds: ['partner'],
    programs: ['indirect_provider'],
    summary: 'Provider: set a reseller\'s credit limit',
  },
  'customer_users.manage': {
    roles: ['global_admin', 'user_admin', 'admin_agent', 'helpdesk_agent'],
    organizationKinds: ['partner', 'customer'],
    summary: 'Users and licenses of a customer organization: its own admins, or a partner\'s agents through delegated admin',
  },
  'audit.read': {
    roles: ['global_admin'],
    organizationKinds: ['operator', 'partner', 'customer'],
    summary: 'Read the audit events that concern the organization',
  },
  'operator.partners': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Operator: onboard and list partners',
  },
  'operator.import': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Operator: import pre-existing reseller relationships',
  },
  'webhooks.manage': {
    roles: ['global_admin', 'admin_agent'],
    organizationKinds: ['operator', 'partner', 'customer'],
    summary: 'Settings → Webhooks: event subscriptions, their secrets, delivery logs and retries',
  },
  // Home dashboards: every section also needs the permission of the list behind it (else null).
  'dashboard.provider': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin'],
    organizationKinds: ['partner'],
    programs: ['indirect_provider'],
    summary: 'Home of an indirect provider: its figures, each section as far as the list behind it may be read',
  },
  'dashboard.reseller': {
    roles: ['global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin'],
    organizationKinds: ['partner'],
    programs: ['indirect_reseller'],
    summary: 'Home of an indirect reseller: its figures, each section as far as the list behind it may be read',
  },
  'dashboard.customer': {
    roles: ['global_admin', 'user_admin', 'billing_admin'],
    organizationKinds: ['customer'],
    summary: 'Home of a customer admin: its partners and what each may do, partners\' recent actions (with audit.read)',
  },
  'dashboard.operator': {
    roles: ['global_admin'],
    organizationKinds: ['operator'],
    summary: 'Home of the operator: the enrollment queue, partners by program and country, program-wide orders by month',
  },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof permissionTable;
export const permissionNames = Object.keys(permissionTable) as Permission[];

export interface PermissionSubject {
  readonly roles: readonly Role[];
  readonly organizationKind: OrganizationKind;
  readonly approvedPrograms: readonly ('indirect_provider' | 'indirect_reseller')[];
}

export function hasPermission(subject: PermissionSubject, permission: Permission): boolean {
  const rule: PermissionRule = permissionTable[permission];
  if (!rule.organizationKinds.includes(subject.organizationKind)) return false;
  if (rule.programs && !rule.programs.some((p) => subject.approvedPrograms.includes(p))) return false;
  return rule.roles.some((role) => subject.roles.includes(role));
}

export function permissionsOf(subject: PermissionSubject): Permission[] {
  return permissionNames.filter((p) => hasPermission(subject, p));
}

/**
 * How a route is guarded: a permission from the table, `authenticated` (any signed-in actor; the
 * use case scopes what it sees), or `public` (no actor; the route proves possession some other
 * way, e.g. an invitation token).
 */
export type RouteAccess = Permission | 'authenticated' | 'public';
