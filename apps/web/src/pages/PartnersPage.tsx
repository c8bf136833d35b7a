import { Body1, Body1Strong, makeStyles, tokens } from '@fluentui/react-components';
import { ShieldDismissRegular } from '@fluentui/react-icons';
import type { CustomerPartner, DelegatedAdminGrant } from '@tierlink/client';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { GrantSummary } from '../components/grants.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { countryName, useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { useCustomerPartners } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({
  grants: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalXS },
  grant: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** Customer admin center: every partner, its relationship and its admin access, revocable here. */
export function PartnersPage() {
  const { t } = useI18n();
  const { query, items, pager } = useCustomerPartners();
  return (
    <>
      <PageHeader title={t('nav.partners')} description={t('partners.description')} />
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('partners.empty.title')}>{t('partners.empty.text')}</EmptyState>
      ) : (
        <DataTable label={t('nav.partners')} columns={[t('column.partner'), t('column.relationship'), t('column.adminAccess')]}>
          {items.map((p) => (
            <PartnerRow key={p.organization.id} partner={p} />
          ))}
        </DataTable>
      )}
      <Pager {...pager} />
    </>
  );
}

function PartnerRow({ partner }: { partner: CustomerPartner }) {
  const styles = useStyles();
  const { t, locale, date } = useI18n();
  const me = useMe();
  const org = partner.organization;
  const rel = partner.relationship;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>
          {org.name}
        </Body1Strong>
        <Secondary>
          {org.domain} · {countryName(locale, org.country)}
        </Secondary>
      </TableCell>
      <TableCell>
        {rel === null ? (
          <Secondary>{t('partners.noRelationship')}</Secondary>
        ) : (
          t('partners.relationship', { state: t(`relationshipState.${rel.state}`), date: date(rel.createdAt) })
        )}
      </TableCell>
      <TableCell>
        {partner.delegatedAdmin.length === 0 ? (
          <Secondary>{t('customers.noAdmin')}</Secondary>
        ) : (
          <div className={styles.grants}>
            {partner.delegatedAdmin.map((g) => (
              <div key={g.id} className={styles.grant}>
                <GrantSummary grant={g} />
                {can(me, 'partners.revoke') && g.state === 'active' ? <RevokePartnerGrant partner={partner} grant={g} /> : null}
              </div>
            ))}
          </div>
        )}
      </TableCell>
    </TableRow>
  );
}

function RevokePartnerGrant({ partner, grant }: { partner: CustomerPartner; grant: DelegatedAdminGrant }) {
  const { t } = useI18n();
  const name = partner.organization.name;
  return (
    <ConfirmDialog
      trigger={rowButton(<ShieldDismissRegular />, t('grant.revoke'))}
      title={t('partners.revoke.title', { name })}
      confirmLabel={t('grant.revoke')}
      action={() => api.revokePartnerGrant({ id: partner.organization.id, grantId: grant.id })}
      notice={() => t('partners.revoke.done', { name })}
      invalidates={[queryKeys.customerPartners.all]}
    >
      <Body1 as="p">{t('partners.revoke.text', { name })}</Body1>
    </ConfirmDialog>
  );
}
