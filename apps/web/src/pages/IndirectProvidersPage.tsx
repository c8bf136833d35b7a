import { Body1 } from '@fluentui/react-components';
import { ShieldDismissRegular } from '@fluentui/react-icons';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { IndirectPartnerList } from '../components/IndirectPartnerList.tsx';
import { RouterLink } from '../components/links.tsx';
import { rowButton } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import type { IndirectPartner } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';

/** Reseller: the providers it works with (seed: "Indirect providers"). */
export function IndirectProvidersPage() {
  return <IndirectPartnerList side="provider" rowActions={(item) => <ProviderActions item={item} />} />;
}

/** Its shared customers, inviting more, and removing the provider's admin access to the reseller. */
function ProviderActions({ item }: { item: IndirectPartner }) {
  const { t } = useI18n();
  const me = useMe();
  const provider = item.organization;
  return (
    <>
      {can(me, 'customers.read') ? (
        <RouterLink to="/indirect-providers/$id/customers" params={{ id: provider.id }}>
          {t('providers.viewCustomers')}
        </RouterLink>
      ) : null}
      {can(me, 'customers.invite') ? (
        <RouterLink to="/customers/request" search={{ providerId: provider.id }}>
          {t('providers.inviteCustomers')}
        </RouterLink>
      ) : null}
      {can(me, 'partnerships.manage') && item.delegatedAdmin !== null ? (
        <ConfirmDialog
          trigger={rowButton(<ShieldDismissRegular />, t('providers.removeAdmin'))}
          title={t('providers.removeAdmin.title', { name: provider.name })}
          confirmLabel={t('providers.removeAdmin')}
          action={() => api.removeProviderAdmin({ id: provider.id })}
          notice={() => t('providers.removeAdmin.done', { name: provider.name })}
          invalidates={[queryKeys.partners('provider').all]}
        >
          <Body1 as="p">{t('providers.removeAdmin.text', { name: provider.name })}</Body1>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
