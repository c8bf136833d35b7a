import type { Me } from '@tierlink/client';
import {
  BoxMultipleRegular,
  BuildingMultipleRegular,
  CartRegular,
  ClipboardCheckmarkRegular,
  ClipboardTaskListLtrRegular,
  PeopleLockRegular,
  DocumentArrowUpRegular,
  DocumentBulletListRegular,
  HistoryRegular,
  KeyMultipleRegular,
  KeyRegular,
  MailInboxRegular,
  MailRegular,
  PeopleCommunityRegular,
  PeopleRegular,
  PeopleSettingsRegular,
  PersonArrowRightRegular,
  PlugConnectedRegular,
  ReceiptRegular,
  ShieldKeyholeRegular,
  ShieldPersonRegular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { MessageKey } from '../i18n/index.tsx';
import { awaitingApproval, can, hasProgram } from '../session.ts';

export interface Capabilities {
  /** The embedded mailbox answers (no SMTP server configured). */
  mailbox: boolean;
}

export interface NavEntry {
  /** Route path; also the Nav's selection value. */
  to: string;
  label: MessageKey;
  icon: ReactElement;
  section: 'main' | 'settings';
  /** Shown when the caller's resolved permissions (from /me) allow the page; rules stay on the server. */
  visible(me: Me, caps: Capabilities): boolean;
  /** The page works for a partner whose enrollment is not approved yet (the API refuses the others). */
  beforeApproval?: true;
}

/**
 * The portal's navigation, one entry per page, filtered by /me. A new page is added here with the
 * permission that shows it.
 */
export const navigation: readonly NavEntry[] = [
  // Partner Center
  { to: '/indirect-providers', label: 'nav.indirectProviders', icon: <BuildingMultipleRegular />, section: 'main', visible: (me) => can(me, 'partnerships.read') && hasProgram(me, 'indirect_reseller') },
  { to: '/indirect-resellers', label: 'nav.indirectResellers', icon: <PeopleCommunityRegular />, section: 'main', visible: (me) => can(me, 'partnerships.read') && hasProgram(me, 'indirect_provider') },
  { to: '/customers', label: 'nav.customers', icon: <PeopleRegular />, section: 'main', visible: (me) => can(me, 'customers.read') },
  { to: '/invitations', label: 'nav.invitations', icon: <MailRegular />, section: 'main', visible: (me) => can(me, 'invitations.manage') },
  // Customer admin center
  { to: '/partners', label: 'nav.partners', icon: <ShieldPersonRegular />, section: 'main', visible: (me) => can(me, 'partners.read') },
  // Delegated admin relationships: a partner drafts and sends them; a customer (or a consenting reseller) decides.
  { to: '/delegated-admin', label: 'nav.delegatedAdmin', icon: <PeopleLockRegular />, section: 'main', visible: (me) => can(me, 'delegated_admin.read') },
  // "/subscriptions" is a partner's list across its customers or a customer's own (SubscriptionsPage picks).
  { to: '/subscriptions', label: 'nav.subscriptions', icon: <ReceiptRegular />, section: 'main', visible: (me) => can(me, 'own_subscriptions.read') || can(me, 'subscriptions.read') },
  { to: '/orders', label: 'nav.orders', icon: <CartRegular />, section: 'main', visible: (me) => can(me, 'subscriptions.read') },
  // Enrollment: a customer's or partner's global admin enrolls, then follows the enrollment here.
  { to: '/enrollment', label: 'nav.enrollment', icon: <ClipboardTaskListLtrRegular />, section: 'main', visible: (me) => can(me, 'enrollment.manage'), beforeApproval: true },
  // Operator console
  { to: '/operator/partners', label: 'nav.operatorPartners', icon: <PersonArrowRightRegular />, section: 'main', visible: (me) => can(me, 'operator.partners') },
  { to: '/operator/import', label: 'nav.operatorImport', icon: <DocumentArrowUpRegular />, section: 'main', visible: (me) => can(me, 'operator.import') },
  { to: '/operator/enrollments', label: 'nav.operatorEnrollments', icon: <ClipboardCheckmarkRegular />, section: 'main', visible: (me) => can(me, 'operator.enrollments') },
  { to: '/operator/memberships', label: 'nav.operatorMemberships', icon: <DocumentBulletListRegular />, section: 'main', visible: (me) => can(me, 'operator.memberships') },
  // Catalog (after the operator's pages, which lead its "/"): partners read it; the operator creates products and changes SKUs.
  { to: '/catalog', label: 'nav.catalog', icon: <BoxMultipleRegular />, section: 'main', visible: (me) => can(me, 'catalog.read') || can(me, 'catalog.manage') },
  // Everyone
  { to: '/audit', label: 'nav.audit', icon: <HistoryRegular />, section: 'main', visible: (me) => can(me, 'audit.read') },
  { to: '/mailbox', label: 'nav.mailbox', icon: <MailInboxRegular />, section: 'main', visible: (_me, caps) => caps.mailbox, beforeApproval: true },
  // Settings
  { to: '/settings/users', label: 'nav.users', icon: <PeopleSettingsRegular />, section: 'settings', visible: (me) => can(me, 'users.manage') },
  { to: '/settings/api-keys', label: 'nav.apiKeys', icon: <KeyMultipleRegular />, section: 'settings', visible: (me) => can(me, 'api_keys.manage') },
  { to: '/settings/webhooks', label: 'nav.webhooks', icon: <PlugConnectedRegular />, section: 'settings', visible: (me) => can(me, 'webhooks.manage') },
  { to: '/settings/password', label: 'nav.changePassword', icon: <KeyRegular />, section: 'settings', visible: (me) => me.user !== null, beforeApproval: true },
  { to: '/settings/mfa', label: 'nav.mfa', icon: <ShieldKeyholeRegular />, section: 'settings', visible: (me) => me.user !== null, beforeApproval: true },
];

export function visibleNavigation(me: Me, caps: Capabilities): NavEntry[] {
  const waiting = awaitingApproval(me);
  return navigation.filter((entry) => entry.visible(me, caps) && (!waiting || entry.beforeApproval === true));
}

/**
 * Where "/" leads: the first page the caller may see. A partner whose enrollment is not approved
 * yet lands on its enrollment (its global admin) or the welcome page, never on pages it cannot use.
 */
export function homePath(me: Me, caps: Capabilities): string {
  if (awaitingApproval(me)) return can(me, 'enrollment.manage') ? '/enrollment' : '/welcome';
  return visibleNavigation(me, caps).find((e) => e.section === 'main')?.to ?? '/welcome';
}
