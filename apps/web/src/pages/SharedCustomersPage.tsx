import { PersonAddRegular } from '@fluentui/react-icons';
import { getRouteApi } from '@tanstack/react-router';
import { CustomerTable } from '../components/CustomerTable.tsx';
import { RouterButton, RouterLink } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useSharedCustomers } from '../queries/customers.ts';
import { useIndirectPartnerNames } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';

const route = getRouteApi('/app/indirect-providers/$id/customers');

/** Reseller: customers it shares with one provider (seed: "View customers"). */
export function SharedCustomersPage() {
  const { t } = useI18n();
  const me = useMe();
  const { id } = route.useParams();
  // The provider's name, from the (usually cached) first page of providers.
  const providers = useIndirectPartnerNames('provider');
  const provider = providers.data?.items.find((p) => p.organization.id === id)?.organization;
  const { query, items, pager } = useSharedCustomers(id);
  const invite = can(me, 'customers.invite') ? (
    <RouterButton appearance="primary" icon={<PersonAddRegular />} to="/customers/request" search={{ providerId: id }}>
      {t('providers.inviteCustomers')}
    </RouterButton>
  ) : undefined;
  return (
    <>
      <PageHeader
        title={provider === undefined ? t('shared.titleGeneric') : t('shared.title', { name: provider.name })}
        description={t('shared.description')}
        actions={
          <>
            {invite}
            <RouterLink to="/indirect-providers">{t('shared.back')}</RouterLink>
          </>
        }
      />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('shared.empty.title')} action={invite}>
          {t('shared.empty.text')}
        </EmptyState>
      ) : (
        <CustomerTable label={t('shared.titleGeneric')} customers={items} />
      )}
      <Pager {...pager} />
    </>
  );
}
