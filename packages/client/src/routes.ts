import type { z } from 'zod';
import type * as c from '@tierlink/contract';
import { route } from './endpoint.ts';

/** What a request schema accepts (defaults optional). */
type In<T extends z.ZodType> = z.input<T>;
/** What a response schema produces. */
type Out<T extends z.ZodType> = z.output<T>;
/** Query strings: the parsed shape, every key optional (the server fills defaults). */
type Query<T extends z.ZodType> = Partial<z.output<T>>;
type PageOf<T extends z.ZodType> = c.Page<z.output<T>>;

export type Me = Out<typeof c.Me>;
export type Organization = Out<typeof c.Organization>;
export type User = Out<typeof c.User>;
export type OrganizationSummary = Out<typeof c.OrganizationSummary>;
export type Invitation = Out<typeof c.Invitation>;
export type InvitationPreview = Out<typeof c.InvitationPreview>;
export type CreatedInvitation = Out<typeof c.CreatedInvitation>;
export type AcceptedInvitation = Out<typeof c.AcceptedInvitation>;
export type IndirectProvider = Out<typeof c.IndirectProvider>;
export type IndirectReseller = Out<typeof c.IndirectReseller>;
export type EndedPartnership = Out<typeof c.EndedPartnership>;
export type DelegatedAdminGrant = Out<typeof c.DelegatedAdminGrant>;
export type Customer = Out<typeof c.Customer>;
export type ResellerRelationship = Out<typeof c.ResellerRelationship>;
export type RemovedRelationship = Out<typeof c.RemovedRelationship>;
export type CustomerPartner = Out<typeof c.CustomerPartner>;
export type AuditEvent = Out<typeof c.AuditEvent>;
export type ProviderDashboard = Out<typeof c.ProviderDashboard>;
export type ResellerDashboard = Out<typeof c.ResellerDashboard>;
export type CustomerDashboard = Out<typeof c.CustomerDashboard>;
export type OperatorDashboard = Out<typeof c.OperatorDashboard>;
export type MailboxMessage = Out<typeof c.MailboxMessage>;
export type Membership = Out<typeof c.Membership>;
export type MembershipSignIn = Out<typeof c.MembershipSignIn>;
export type Enrollment = Out<typeof c.Enrollment>;
export type PartnerProfile = Out<typeof c.PartnerProfile>;
export type OnboardedPartner = Out<typeof c.OnboardedPartner>;
export type ImportRelationshipsResult = Out<typeof c.ImportRelationshipsResult>;
export type ApiKey = Out<typeof c.ApiKey>;
export type Product = Out<typeof c.Product>;
export type Sku = Out<typeof c.Sku>;
export type Order = Out<typeof c.Order>;
export type Subscription = Out<typeof c.Subscription>;
export type CreditTerms = Out<typeof c.CreditTerms>;
export type CustomerUser = Out<typeof c.CustomerUser>;
export type CreatedCustomerUser = Out<typeof c.CreatedCustomerUser>;
export type CreatedApiKey = Out<typeof c.CreatedApiKey>;
export type EventTypeInfo = Out<typeof c.EventTypeInfo>;
export type WebhookEndpoint = Out<typeof c.WebhookEndpoint>;
export type WebhookEndpointWithSecret = Out<typeof c.WebhookEndpointWithSecret>;
export type WebhookDelivery = Out<typeof c.WebhookDelivery>;
export type WebhookAttempt = Out<typeof c.WebhookAttempt>;
export type DelegatedAdminRelationship = Out<typeof c.DelegatedAdminRelationship>;
export type DelegatedAdminAmendment = Out<typeof c.DelegatedAdminAmendment>;
export type DelegatedAdminPendingRequest = Out<typeof c.DelegatedAdminPendingRequest>;
export type OffboardingPlan = Out<typeof c.OffboardingPlan>;
export type OffboardingResult = Out<typeof c.OffboardingResult>;
export type OffboardInput = In<typeof c.OffboardBody>;

export type SignUpInput = In<typeof c.SignUpBody>;
export type SignInInput = In<typeof c.SignInBody>;
export type CreateCustomerInvitationInput = In<typeof c.CreateCustomerInvitationBody>;
export type CreateResellerInvitationInput = In<typeof c.CreateResellerInvitationBody>;
export type RemoveRelationshipInput = In<typeof c.RemoveRelationshipBody>;
export type OnboardPartnerInput = In<typeof c.OnboardPartnerBody>;
export type ImportRelationshipsInput = In<typeof c.ImportRelationshipsBody>;
export type PageQuery = Query<typeof c.PageQuery>;
export type PlaceOrderInput = In<typeof c.PlaceOrderBody>;
export type UpdateSubscriptionInput = In<typeof c.UpdateSubscriptionBody>;

/**
 * Every route of the API, named as OpenAPI names its path. One entry is one client function;
 * the browser suite checks this table against /api/openapi.json so that no route is left out.
 */
export const endpoints = {
  // Identity
  signUp: route<Out<typeof c.SignUpResponse>, SignUpInput>()('POST', '/api/v1/organizations'),
  signIn: route<{ expiresAt: string }, SignInInput>()('POST', '/api/v1/sessions'),
  signOut: route<null>()('DELETE', '/api/v1/sessions'),
  me: route<Me>()('GET', '/api/v1/me'),
  changePassword: route<null, In<typeof c.ChangePasswordBody>>()('POST', '/api/v1/me/password'),
  startMfa: route<Out<typeof c.TotpEnrollment>>()('POST', '/api/v1/me/mfa/totp'),
  confirmMfa: route<Out<typeof c.RecoveryCodes>, In<typeof c.ConfirmTotpBody>>()('POST', '/api/v1/me/mfa/totp/confirm'),
  resetUserMfa: route<null>()('DELETE', '/api/v1/users/{id}/mfa'),
  listApiKeys: route<{ items: ApiKey[] }>()('GET', '/api/v1/api-keys'),
  createApiKey: route<CreatedApiKey, In<typeof c.CreateApiKeyBody>>()('POST', '/api/v1/api-keys'),
  revokeApiKey: route<ApiKey>()('DELETE', '/api/v1/api-keys/{id}'),
  listUsers: route<c.CountedPage<User>, undefined, Query<typeof c.UserListQuery>>()('GET', '/api/v1/users'),
  exportUsers: route<string, undefined, Query<typeof c.UserExportQuery>>()('GET', '/api/v1/users/export'),
  addUser: route<Out<typeof c.AddedUser>, In<typeof c.AddUserBody>>()('POST', '/api/v1/users'),
  updateUser: route<User, In<typeof c.UpdateUserBody>>()('PATCH', '/api/v1/users/{id}'),
  deleteUser: route<null>()('DELETE', '/api/v1/users/{id}'),

  // Partnerships
  listIndirectProviders: route<c.CountedPage<Out<typeof c.IndirectProvider>>, undefined, Query<typeof c.PartnershipListQuery>>()('GET', '/api/v1/indirect-providers'),
  exportIndirectProviders: route<string, undefined, Query<typeof c.PartnershipExportQuery>>()('GET', '/api/v1/indirect-providers/export'),
  listIndirectResellers: route<c.CountedPage<Out<typeof c.IndirectReseller>>, undefined, Query<typeof c.PartnershipListQuery>>()('GET', '/api/v1/indirect-resellers'),
  exportIndirectResellers: route<string, undefined, Query<typeof c.PartnershipExportQuery>>()('GET', '/api/v1/indirect-resellers/export'),
  endPartnershipWithProvider: route<EndedPartnership>()('DELETE', '/api/v1/indirect-providers/{id}'),
  endPartnershipWithReseller: route<EndedPartnership>()('DELETE', '/api/v1/indirect-resellers/{id}'),
  removeProviderAdmin: route<{ revoked: DelegatedAdminGrant[] }>()('DELETE', '/api/v1/indirect-providers/{id}/delegated-admin'),

  // Invitations
  createResellerInvitation: route<CreatedInvitation, CreateResellerInvitationInput>()('POST', '/api/v1/reseller-invitations'),
  createCustomerInvitation: route<CreatedInvitation, CreateCustomerInvitationInput>()('POST', '/api/v1/customer-invitations'),
  listInvitations: route<c.CountedPage<Invitation>, undefined, Query<typeof c.InvitationListQuery>>()('GET', '/api/v1/invitations'),
  exportInvitations: route<string, undefined, Query<typeof c.InvitationExportQuery>>()('GET', '/api/v1/invitations/export'),
  getInvitation: route<InvitationPreview, undefined, Query<typeof c.InvitationTokenQuery>>()('GET', '/api/v1/invitations/{id}'),
  acceptInvitation: route<AcceptedInvitation, In<typeof c.AcceptInvitationBody>>()('POST', '/api/v1/invitations/{id}/accept'),
  declineInvitation: route<Invitation, In<typeof c.DeclineInvitationBody>>()('POST', '/api/v1/invitations/{id}/decline'),
  revokeInvitation: route<Invitation>()('POST', '/api/v1/invitations/{id}/revoke'),
  sendInvitation: route<CreatedInvitation, In<typeof c.SendInvitationBody>>()('POST', '/api/v1/invitations/{id}/send'),

  // Customers and delegated admin
  listCustomers: route<c.CountedPage<Customer>, undefined, Query<typeof c.CustomerListQuery>>()('GET', '/api/v1/customers'),
  exportCustomers: route<string, undefined, Query<typeof c.CustomerExportQuery>>()('GET', '/api/v1/customers/export'),
  getCustomer: route<Customer>()('GET', '/api/v1/customers/{id}'),
  listSharedCustomers: route<c.CountedPage<Customer>, undefined, Query<typeof c.CustomerListQuery>>()('GET', '/api/v1/indirect-providers/{id}/customers'),
  exportSharedCustomers: route<string, undefined, Query<typeof c.CustomerExportQuery>>()('GET', '/api/v1/indirect-providers/{id}/customers/export'),
  removeRelationship: route<RemovedRelationship, RemoveRelationshipInput>()('POST', '/api/v1/customers/{id}/relationship/remove'),
  listCustomerGrants: route<{ items: DelegatedAdminGrant[] }>()('GET', '/api/v1/customers/{id}/delegated-admin'),
  revokeCustomerGrant: route<DelegatedAdminGrant>()('DELETE', '/api/v1/customers/{id}/delegated-admin/{grantId}'),

  // Customer admin center
  listPartners: route<c.CountedPage<CustomerPartner>, undefined, Query<typeof c.CustomerPartnerListQuery>>()('GET', '/api/v1/partners'),
  exportPartners: route<string, undefined, Query<typeof c.CustomerPartnerExportQuery>>()('GET', '/api/v1/partners/export'),
  revokePartnerGrant: route<DelegatedAdminGrant>()('DELETE', '/api/v1/partners/{id}/delegated-admin/{grantId}'),

  // Operator console
  onboardPartner: route<OnboardedPartner, OnboardPartnerInput>()('POST', '/api/v1/operator/partners'),
  listOperatorPartners: route<c.CountedPage<Out<typeof c.PartnerProfile>>, undefined, Query<typeof c.OperatorPartnerQuery>>()('GET', '/api/v1/operator/partners'),
  exportOperatorPartners: route<string, undefined, Query<typeof c.OperatorPartnerExportQuery>>()('GET', '/api/v1/operator/partners/export'),
  /** JSON `{ items }`, or CSV text (header `partner_domain,customer_name,customer_domain,customer_country`). */
  importRelationships: route<ImportRelationshipsResult, ImportRelationshipsInput | string>()('POST', '/api/v1/operator/reseller-relationships/import'),

  // Enrollment (membership registry sign-in → Enroll now → email verification → operator review)
  registerMembership: route<Membership, In<typeof c.RegisterMembershipBody>>()('POST', '/api/v1/operator/memberships'),
  /** JSON `{ items }`, or CSV text (header `membership_id,legal_name,country,account_email,account_password`). */
  importMemberships: route<Out<typeof c.ImportMembershipsResult>, In<typeof c.ImportMembershipsBody> | string>()('POST', '/api/v1/operator/memberships/import'),
  signInMembership: route<MembershipSignIn, In<typeof c.MembershipSignInBody>>()('POST', '/api/v1/enrollments/membership-sign-in'),
  enroll: route<Enrollment, In<typeof c.EnrollBody>>()('POST', '/api/v1/enrollments'),
  listOwnEnrollments: route<{ items: Enrollment[] }>()('GET', '/api/v1/enrollments/current'),
  verifyEnrollmentEmail: route<{ state: string }, In<typeof c.VerifyEmailBody>>()('POST', '/api/v1/enrollments/{id}/verify-email'),
  listEnrollments: route<PageOf<typeof c.Enrollment>, undefined, Query<typeof c.EnrollmentListQuery>>()('GET', '/api/v1/operator/enrollments'),
  approveEnrollment: route<Enrollment>()('POST', '/api/v1/operator/enrollments/{id}/approve'),
  rejectEnrollment: route<Enrollment, In<typeof c.RejectEnrollmentBody>>()('POST', '/api/v1/operator/enrollments/{id}/reject'),

  // Catalog and commerce. placeOrder needs `headers: { 'idempotency-key': … }`; updateSubscription
  // needs `headers: { 'if-match': subscription.etag }`.
  listProducts: route<{ items: Product[] }>()('GET', '/api/v1/catalog/products'),
  createProduct: route<Product, In<typeof c.CreateProductBody>>()('POST', '/api/v1/operator/catalog/products'),
  updateSku: route<Sku, In<typeof c.UpdateSkuBody>>()('PATCH', '/api/v1/operator/catalog/skus/{id}'),
  deleteProduct: route<null>()('DELETE', '/api/v1/operator/catalog/products/{id}'),
  placeOrder: route<Order, PlaceOrderInput>()('POST', '/api/v1/customers/{id}/orders'),
  listOrders: route<{ items: Order[] }>()('GET', '/api/v1/customers/{id}/orders'),
  listCustomerSubscriptions: route<{ items: Subscription[] }>()('GET', '/api/v1/customers/{id}/subscriptions'),
  getSubscription: route<Subscription>()('GET', '/api/v1/customers/{id}/subscriptions/{sid}'),
  updateSubscription: route<Subscription, UpdateSubscriptionInput>()('PATCH', '/api/v1/customers/{id}/subscriptions/{sid}'),
  listOwnSubscriptions: route<{ items: Subscription[] }>()('GET', '/api/v1/subscriptions'),
  listPartnerSubscriptions: route<c.CountedPage<Subscription>, undefined, Query<typeof c.PartnerSubscriptionQuery>>()('GET', '/api/v1/partner-subscriptions'),
  exportPartnerSubscriptions: route<string, undefined, Query<typeof c.PartnerSubscriptionExportQuery>>()('GET', '/api/v1/partner-subscriptions/export'),
  listPartnerOrders: route<c.CountedPage<Order>, undefined, Query<typeof c.PartnerOrderQuery>>()('GET', '/api/v1/partner-orders'),
  exportPartnerOrders: route<string, undefined, Query<typeof c.PartnerOrderExportQuery>>()('GET', '/api/v1/partner-orders/export'),
  setResellerCredit: route<CreditTerms, In<typeof c.SetCreditBody>>()('PUT', '/api/v1/indirect-resellers/{id}/credit'),
  getResellerCredit: route<CreditTerms>()('GET', '/api/v1/indirect-resellers/{id}/credit'),
  getProviderCredit: route<CreditTerms>()('GET', '/api/v1/indirect-providers/{id}/credit'),
  listResellerCredit: route<{ items: CreditTerms[] }, undefined, Query<typeof c.CreditLinesQuery>>()('GET', '/api/v1/indirect-resellers/credit'),
  listProviderCredit: route<{ items: CreditTerms[] }, undefined, Query<typeof c.CreditLinesQuery>>()('GET', '/api/v1/indirect-providers/credit'),

  // Delegated administration of a customer's users and licenses
  listCustomerUsers: route<{ items: CustomerUser[] }>()('GET', '/api/v1/customers/{id}/users'),
  createCustomerUser: route<CreatedCustomerUser, In<typeof c.CreateCustomerUserBody>>()('POST', '/api/v1/customers/{id}/users'),
  removeCustomerUser: route<null>()('DELETE', '/api/v1/customers/{id}/users/{uid}'),
  resetCustomerPassword: route<{ temporaryPassword: string }>()('POST', '/api/v1/customers/{id}/users/{uid}/password-reset'),
  assignLicense: route<null, In<typeof c.LicenseBody>>()('POST', '/api/v1/customers/{id}/users/{uid}/licenses'),
  removeLicense: route<null>()('DELETE', '/api/v1/customers/{id}/users/{uid}/licenses/{sid}'),

  // Audit and mail
  listAuditEvents: route<c.CountedPage<AuditEvent>, undefined, Query<typeof c.AuditQuery>>()('GET', '/api/v1/audit-events'),
  /** The CSV text (the portal links to the URL instead, so the browser downloads it). */
  exportAuditEvents: route<string, undefined, Query<typeof c.AuditExportQuery>>()('GET', '/api/v1/audit-events/export'),
  listMailbox: route<PageOf<typeof c.MailboxMessage>, undefined, Query<typeof c.MailboxQuery>>()('GET', '/api/v1/mailbox'),

  // Home dashboards, one per kind of organization (a section the caller may not list is null)
  getProviderDashboard: route<ProviderDashboard>()('GET', '/api/v1/dashboards/provider'),
  getResellerDashboard: route<ResellerDashboard>()('GET', '/api/v1/dashboards/reseller'),
  getCustomerDashboard: route<CustomerDashboard>()('GET', '/api/v1/dashboards/customer'),
  getOperatorDashboard: route<OperatorDashboard>()('GET', '/api/v1/dashboards/operator'),

  // Webhooks: the secret (`whsec_…`) is only in the answers of create and rotate.
  listEventTypes: route<{ items: EventTypeInfo[] }>()('GET', '/api/v1/event-types'),
  listWebhookEndpoints: route<{ items: WebhookEndpoint[] }>()('GET', '/api/v1/webhook-endpoints'),
  createWebhookEndpoint: route<WebhookEndpointWithSecret, In<typeof c.CreateWebhookEndpointBody>>()('POST', '/api/v1/webhook-endpoints'),
  getWebhookEndpoint: route<WebhookEndpoint>()('GET', '/api/v1/webhook-endpoints/{id}'),
  updateWebhookEndpoint: route<WebhookEndpoint, In<typeof c.UpdateWebhookEndpointBody>>()('PATCH', '/api/v1/webhook-endpoints/{id}'),
  deleteWebhookEndpoint: route<null>()('DELETE', '/api/v1/webhook-endpoints/{id}'),
  rotateWebhookSecret: route<WebhookEndpointWithSecret>()('POST', '/api/v1/webhook-endpoints/{id}/rotate-secret'),
  sendWebhookTest: route<{ id: string }>()('POST', '/api/v1/webhook-endpoints/{id}/test'),
  listWebhookDeliveries: route<PageOf<typeof c.WebhookDelivery>, undefined, Query<typeof c.WebhookDeliveryQuery>>()('GET', '/api/v1/webhook-endpoints/{id}/deliveries'),
  retryWebhookDelivery: route<{ id: string }>()('POST', '/api/v1/webhook-deliveries/{id}/retry'),

  // Delegated admin relationships: drafted by the partner, approved by the customer, amendable.
  // updateDelegatedAdminRelationship needs `headers: { 'if-match': relationship.etag }`.
  listDelegatedAdminRelationships: route<c.CountedPage<DelegatedAdminRelationship>, undefined, Query<typeof c.DelegatedAdminRelationshipListQuery>>()(
    'GET',
    '/api/v1/delegated-admin-relationships',
  ),
  createDelegatedAdminRelationship: route<DelegatedAdminRelationship, In<typeof c.CreateDelegatedAdminRelationshipBody>>()('POST', '/api/v1/delegated-admin-relationships'),
  getDelegatedAdminRelationship: route<DelegatedAdminRelationship>()('GET', '/api/v1/delegated-admin-relationships/{id}'),
  updateDelegatedAdminRelationship: route<DelegatedAdminRelationship, In<typeof c.UpdateDelegatedAdminRelationshipBody>>()('PATCH', '/api/v1/delegated-admin-relationships/{id}'),
  deleteDelegatedAdminRelationship: route<null>()('DELETE', '/api/v1/delegated-admin-relationships/{id}'),
  requestDelegatedAdminTransition: route<DelegatedAdminRelationship, In<typeof c.DelegatedAdminRequestBody>>()('POST', '/api/v1/delegated-admin-relationships/{id}/requests'),
  proposeDelegatedAdminAmendment: route<DelegatedAdminAmendment, In<typeof c.ProposeAmendmentBody>>()('POST', '/api/v1/delegated-admin-relationships/{id}/amendments'),
  approveDelegatedAdminAmendment: route<{ relationship: DelegatedAdminRelationship; amendment: DelegatedAdminAmendment }>()(
    'POST',
    '/api/v1/delegated-admin-relationships/{id}/amendments/{amendmentId}/approve',
  ),
  rejectDelegatedAdminAmendment: route<{ relationship: DelegatedAdminRelationship; amendment: DelegatedAdminAmendment }>()(
    'POST',
    '/api/v1/delegated-admin-relationships/{id}/amendments/{amendmentId}/reject',
  ),
  listDelegatedAdminRequests: route<{ items: DelegatedAdminPendingRequest[] }>()('GET', '/api/v1/delegated-admin-requests'),
  /** Offboarding: the plan (its `etag` goes back as `headers: { 'if-match': … }`) and the one-step offboard. */
  getResellerOffboardingPlan: route<OffboardingPlan>()('GET', '/api/v1/indirect-resellers/{id}/offboarding-plan'),
  offboardReseller: route<OffboardingResult, OffboardInput>()('POST', '/api/v1/indirect-resellers/{id}/offboard'),
  getProviderOffboardingPlan: route<OffboardingPlan>()('GET', '/api/v1/indirect-providers/{id}/offboarding-plan'),
  offboardProvider: route<OffboardingResult, OffboardInput>()('POST', '/api/v1/indirect-providers/{id}/offboard'),
  getCustomerOffboardingPlan: route<OffboardingPlan>()('GET', '/api/v1/customers/{id}/offboarding-plan'),
  offboardCustomer: route<OffboardingResult, OffboardInput>()('POST', '/api/v1/customers/{id}/offboard'),
  /** Access tracing: the partner's view of a customer, and the customer's view of a partner. */
  traceCustomerAccess: route<Out<typeof c.AccessTrace>>()('GET', '/api/v1/customers/{id}/access'),
  tracePartnerAccess: route<Out<typeof c.AccessTrace>>()('GET', '/api/v1/partners/{id}/access'),
} as const;
