import { Navigate } from '@tanstack/react-router';
import { EmptyState, PageHeader } from '../components/page.tsx';
import { useI18n } from '../i18n/index.tsx';
import { awaitingApproval, useMe } from '../session.ts';
import { homePath } from '../shell/navigation.tsx';
import { useCapabilities } from '../shell/AppShell.tsx';

/** "/" leads to the first page the caller may see. */
export function HomePage() {
  const me = useMe();
  const caps = useCapabilities();
  return <Navigate to={homePath(me, caps)} replace />;
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
