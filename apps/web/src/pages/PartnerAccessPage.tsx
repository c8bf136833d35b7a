import { getRouteApi } from '@tanstack/react-router';
import { isApiError } from '@tierlink/client';
import { AccessTraceTable } from '../components/access.tsx';
import { RouterLink } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useI18n } from '../i18n/index.tsx';
import { usePartnerAccess } from '../queries/delegatedAdmin.ts';

const route = getRouteApi('/app/partners/$id/access');

/** Customer admin center: how one partner's admin agents can act in the organization, and what they did lately. */
export function PartnerAccessPage() {
  const { t } = useI18n();
  const { id } = route.useParams();
  const trace = usePartnerAccess(id);
  const back = <RouterLink to="/partners">{t('access.back')}</RouterLink>;
  if (trace.isPending) return <Loading />;
  if (trace.isError) {
    const gone = isApiError(trace.error) && trace.error.status === 404;
    return (
      <>
        <PageHeader title={t('access.notFound')} actions={back} />
        {gone ? <EmptyState title={t('access.notFound.text')} /> : <ProblemBar error={trace.error} />}
      </>
    );
  }
  return (
    <>
      <PageHeader title={t('access.partnerTitle', { name: trace.data.partner.name })} description={t('access.description.customer', { name: trace.data.partner.name })} actions={back} />
      <AccessTraceTable trace={trace.data} />
    </>
  );
}
