import type { Me } from '@tierlink/client';
import { Navigate } from '@tanstack/react-router';
import { lazy, Suspense } from 'react';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { useI18n } from '../i18n/index.tsx';
import { awaitingApproval, can, hasProgram, useMe } from '../session.ts';
import { homePath } from '../shell/navigation.tsx';
import { useCapabilities } from '../shell/AppShell.tsx';
import type { DashboardKind } from './DashboardPage.tsx';

/** Loaded on first visit, with its charts even later: "/" stays light for callers without a dashboard. */
const DashboardPage = lazy(() => import('./DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));

/** The dashboard of the caller's kind that it may read; a partner in both programs gets the provider's. */
function dashboardKind(me: Me): DashboardKind | null {
  if (awaitingApproval(me)) return null;
  if (can(me, 'dashboard.operator')) return 'operator';
  if (can(me, 'dashboard.provider') && hasProgram(me, 'indirect_provider')) return 'provider';
  if (can(me, 'dashboard.reseller') && hasProgram(me, 'indirect_reseller')) return 'reseller';
  if (can(me, 'dashboard.customer')) return 'customer';
  return null;
}

/** "/" is the caller's home dashboard; a caller without one goes to the first page it may see. */
export function HomePage() {
  const me = useMe();
  const caps = useCapabilities();
  const kind = dashboardKind(me);
  if (kind === null) return <Navigate to={homePath(me, caps)} replace />;
  return (
    <Suspense fallback={<Loading />}>
      <DashboardPage kind={kind} />
    </Suspense>
  );
}

/** For a caller who may see no page yet (e.g. a partner whose enrollment is not approved). */
export function WelcomePage() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <>
      <PageHeader title={t('welcome.title', { name: me.organization.name })} />
      <EmptyState title={t('welcome.nothingYet')}>{t(awaitingApproval(me) ? 'welcome.awaitingApproval' : 'welcome.text')}</EmptyState>
    </>
  );
}
