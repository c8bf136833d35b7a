import type { Me } from '@tierlink/client';
import {
  BuildingMultipleRegular,
  DocumentArrowUpRegular,
  HistoryRegular,
  KeyRegular,
  MailInboxRegular,
  MailRegular,
  PeopleCommunityRegular,
  PeopleRegular,
  PersonArrowRightRegular,
  ShieldKeyholeRegular,
  ShieldPersonRegular,
} from '@fluentui/react-icons';
import type { ReactElement } from 'react';
import type { MessageKey } from '../i18n/index.tsx';
import { can, hasProgram } from '../session.ts';

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
}

/**
 * The portal's navigation, one entry per page, filtered by /me. Pages still to come (user
 * management, MFA, enrollment, commerce) are added here with the permission that shows them.
 */
export const navigation: readonly NavEntry[] = [
  // Partner Center
  { to: '/indirect-providers', label: 'nav.indirectProviders', icon: <BuildingMultipleRegular />, section: 'main', visible: (me) => can(me, 'partnerships.read') && hasProgram(me, 'indirect_reseller') },
  { to: '/indirect-resellers', label: 'nav.indirectResellers', icon: <PeopleCommunityRegular />, section: 'main', visible: (me) => can(me, 'partnerships.read') && hasProgram(me, 'indirect_provider') },
  { to: '/customers', label: 'nav.customers', icon: <PeopleRegular />, section: 'main', visible: (me) => can(me, 'customers.read') },
  { to: '/invitations', label: 'nav.invitations', icon: <MailRegular />, section: 'main', visible: (me) => can(me, 'invitations.manage') },
  // Customer admin center
  { to: '/partners', label: 'nav.partners', icon: <ShieldPersonRegular />, section: 'main', visible: (me) => can(me, 'partners.read') },
  // Operator console
  { to: '/operator/partners', label: 'nav.operatorPartners', icon: <PersonArrowRightRegular />, section: 'main', visible: (me) => can(me, 'operator.partners') },
  { to: '/operator/import', label: 'nav.operatorImport', icon: <DocumentArrowUpRegular />, section: 'main', visible: (me) => can(me, 'operator.import') },
  // Everyone
  { to: '/audit', label: 'nav.audit', icon: <HistoryRegular />, section: 'main', visible: (me) => can(me, 'audit.read') },
  { to: '/mailbox', label: 'nav.mailbox', icon: <MailInboxRegular />, section: 'main', visible: (_me, caps) => caps.mailbox },
  // Settings
  { to: '/settings/password', label: 'nav.changePassword', icon: <KeyRegular />, section: 'settings', visible: (me) => me.user !== null },
  { to: '/settings/mfa', label: 'nav.mfa', icon: <ShieldKeyholeRegular />, section: 'settings', visible: (me) => me.user !== null },
];

export function visibleNavigation(me: Me, caps: Capabilities): NavEntry[] {
  return navigation.filter((entry) => entry.visible(me, caps));
}

/** Where "/" leads: the first page the caller may see. */
export function homePath(me: Me, caps: Capabilities): string {
  return visibleNavigation(me, caps).find((e) => e.section === 'main')?.to ?? '/welcome';
}
