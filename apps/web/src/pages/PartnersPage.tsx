import { Body1, Body1Strong, Field, makeStyles, SearchBox, tokens } from '@fluentui/react-components';
import { ShieldDismissRegular } from '@fluentui/react-icons';
import type { CustomerPartner, DelegatedAdminGrant, DelegatedAdminRelationship } from '@tierlink/client';
import type { CustomerPartnerSort, SortOrder } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { GrantSummary } from '../components/grants.tsx';
import { RouterLink } from '../components/links.tsx';
import { RelationshipLink, RelationshipSummary, TerminateRelationship } from '../components/relationships.tsx';
import { CountLine, defaultPageSize, DownloadCsv, ListControls, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { countryName, useI18n } from '../i18n/index.tsx';
import { useOwnRelationships } from '../queries/delegatedAdmin.ts';
import { queryKeys } from '../queries/keys.ts';
import { customerPartnerQuery, useCustomerPartners } from '../queries/partners.ts';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({
  search: { minWidth: '280px' },
  grants: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalXS },
  grant: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** Names, domains and countries start A→Z. */
const naturalOrder = (): SortOrder => 'asc';

/**
 * Customer admin center: every partner, its relationship and its admin access, revocable here;
 * sorted (name, domain, country), searched (name or domain prefix), counted, paged and exported by
 * the server.
 */
export function PartnersPage() {
  const { t } = useI18n();
  const styles = useStyles();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  const { sort, column } = useListSort<CustomerPartnerSort>({ by: 'name', order: 'asc' }, naturalOrder);
  const view = { search, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useCustomerPartners(view);
  const me = useMe();
  // One request for the page's relationship rows (grouped by partner), not one per row.
  const relationships = useOwnRelationships(can(me, 'delegated_admin.read'));
  const byPartner = new Map<string, DelegatedAdminRelationship[]>();
  for (const r of relationships.data?.items ?? []) {
    if (r.customer.id === me.organization.id) byPartner.set(r.partner.id, [...(byPartner.get(r.partner.id) ?? []), r]);
  }
  return (
    <>
      <PageHeader
        title={t('nav.partners')}
        description={t('partners.description')}
        actions={<DownloadCsv href={`/api/v1/partners/export${searchOf(customerPartnerQuery(view))}`} filename="partners.csv" title={t('partners.export.label')} />}
      />
      <ListControls label={t('list.filters')}>
        <Field label={t('partners.search')} className={styles.search}>
          <SearchBox value={text} onChange={(_e, d) => setText(d.value)} />
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </ListControls>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        search === '' ? <EmptyState title={t('partners.empty.title')}>{t('partners.empty.text')}</EmptyState> : <EmptyState title={t('partners.noMatch', { search })} />
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="partners.count" more="partners.countMore" />
          <DataTable
            label={t('nav.partners')}
            columns={[column(t('column.partner'), 'name'), column(t('column.domain'), 'domain'), column(t('column.country'), 'country'), t('column.relationship'), t('column.adminAccess')]}
          >
            {items.map((p) => (
              <PartnerRow key={p.organization.id} partner={p} relationships={relationships.isSuccess ? (byPartner.get(p.organization.id) ?? []) : null} />
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}

/** `relationships`: the partner's relationships with this organization; null shows the grants instead (no delegated_admin.read). */
function PartnerRow({ partner, relationships }: { partner: CustomerPartner; relationships: DelegatedAdminRelationship[] | null }) {
  const styles = useStyles();
  const { t, locale, date } = useI18n();
  const me = useMe();
  const org = partner.organization;
  const rel = partner.relationship;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>{org.name}</Body1Strong>
      </TableCell>
      <TableCell>{org.domain}</TableCell>
      <TableCell>{countryName(locale, org.country)}</TableCell>
      <TableCell>
        {rel === null ? (
          <Secondary>{t('partners.noRelationship')}</Secondary>
        ) : (
          t('partners.relationship', { state: t(`relationshipState.${rel.state}`), date: date(rel.createdAt) })
        )}
      </TableCell>
      <TableCell>
        {relationships !== null ? (
          relationships.length === 0 ? (
            <Secondary>{t('customers.noAdmin')}</Secondary>
          ) : (
            <div className={styles.grants}>
              <RouterLink to="/partners/$id/access" params={{ id: org.id }}>
                {t('access.open')}
              </RouterLink>
              {relationships.map((r) => (
                <div key={r.id} className={styles.grant}>
                  <RelationshipLink relationship={r} />
                  <RelationshipSummary relationship={r} />
                  {(r.state === 'active' || r.state === 'expiring') && can(me, 'delegated_admin.act') ? <TerminateRelationship relationship={r} action="terminate" compact /> : null}
                </div>
              ))}
            </div>
          )
        ) : partner.delegatedAdmin.length === 0 ? (
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
