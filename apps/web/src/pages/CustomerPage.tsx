import { Body1, Button, Checkbox, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError, type Customer, type DelegatedAdminGrant } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { DelegatedRoles } from '../components/grants.tsx';
import { RelationshipStateBadge, relationshipEnd, RelationshipLink, TerminateRelationship } from '../components/relationships.tsx';
import { RouterLink } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { countryName, useI18n } from '../i18n/index.tsx';
import { useCustomer, useCustomerGrants } from '../queries/customers.ts';
import { useCustomerAccess, useRelationshipsWith } from '../queries/delegatedAdmin.ts';
import { AccessTraceTable } from '../components/access.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { can, useMe } from '../session.ts';
import { OrdersSection, SubscriptionsSection } from './CustomerCommerce.tsx';

const route = getRouteApi('/app/customers/$id');

const useStyles = makeStyles({
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0 },
  attest: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** One customer: its account (the relationship), subscriptions and orders, the admin access held in it, and removal. */
export function CustomerPage() {
  const { t } = useI18n();
  const { id } = route.useParams();
  const customer = useCustomer(id);
  if (customer.isPending) return <Loading />;
  if (customer.isError) {
    const gone = isApiError(customer.error) && customer.error.status === 404;
    return (
      <>
        <PageHeader title={t('customer.notFound.title')} />
        {gone ? (
          <EmptyState title={t('customer.notFound.text')} action={<RouterLink to="/customers">{t('customer.back')}</RouterLink>} />
        ) : (
          <ProblemBar error={customer.error} />
        )}
      </>
    );
  }
  return <CustomerView customer={customer.data} />;
}

function CustomerView({ customer }: { customer: Customer }) {
  const styles = useStyles();
  const { t, locale, dateTime } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const grants = useCustomerGrants(customer.id);
  const items = grants.data?.items ?? customer.delegatedAdmin;
  const live = items.filter((g) => g.state === 'active');
  const mayRemove = can(me, 'customers.remove');
  const rel = customer.relationship;
  return (
    <>
      <PageHeader
        title={customer.name}
        description={`${customer.domain} · ${countryName(locale, customer.country)}`}
        actions={<RouterLink to="/customers">{t('customer.back')}</RouterLink>}
      />
      <Section title={t('customer.account')}>
        <dl className={styles.facts}>
          <dt className={styles.term}>{t('customer.partnerOfRecord')}</dt>
          <dd className={styles.dd}>{rel.partner.name}</dd>
          <dt className={styles.term}>{t('customer.relationshipState')}</dt>
          <dd className={styles.dd}>{t(`relationshipState.${rel.state}`)}</dd>
          <dt className={styles.term}>{t('customer.source')}</dt>
          <dd className={styles.dd}>{t(`relationshipSource.${rel.source}`)}</dd>
          <dt className={styles.term}>{t('column.since')}</dt>
          <dd className={styles.dd}>{dateTime(rel.createdAt)}</dd>
        </dl>
        {can(me, 'offboarding.read') && rel.state === 'active' ? (
          <div>
            <RouterLink to="/offboarding/$kind/$id" params={{ kind: 'customers', id: customer.id }}>
              {t('offboarding.open')}
            </RouterLink>
          </div>
        ) : null}
        {mayRemove && rel.state === 'active' ? (
          <div>
            <RemoveRelationship
              customer={customer}
              liveGrants={live}
              onRemoved={(remaining) => {
                notify(t('remove.done', { name: customer.name, count: remaining }));
                void invalidate(queryKeys.customers.all);
                // The customer is gone from the caller's view, with everything cached under it.
                queryClient.removeQueries({ queryKey: queryKeys.customer.all(customer.id) });
                void navigate({ to: '/customers' });
              }}
            />
          </div>
        ) : null}
      </Section>
      {can(me, 'subscriptions.read') ? (
        <>
          <SubscriptionsSection customer={customer} />
          <OrdersSection customer={customer} />
        </>
      ) : null}
      <RelationshipsSection customer={customer} />
      <AccessSection customer={customer} />
    </>
  );
}

/** The access trace: what the caller's admin agents can do here, and did lately. */
function AccessSection({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const access = useCustomerAccess(customer.id, customer.relationship.state === 'active');
  // A pair without any relationship in force answers 404: nothing to trace, nothing to show.
  if (access.isPending || (isApiError(access.error) && access.error.status === 404)) return null;
  return (
    <Section title={t('access.title')}>
      <Body1 as="p">{t('access.description.partner')}</Body1>
      <ProblemBar error={access.error} />
      {access.data === undefined ? null : <AccessTraceTable trace={access.data} />}
    </Section>
  );
}

/**
 * The caller's delegated admin relationships with this customer (drafts and requests too), each
 * linking to its page; a live one can be terminated here.
 */
function RelationshipsSection({ customer }: { customer: Customer }) {
  const { t, date } = useI18n();
  const me = useMe();
  const relationships = useRelationshipsWith(customer.id);
  const items = relationships.data?.items ?? [];
  return (
    <Section
      title={t('customers.delegatedAdmin')}
      actions={can(me, 'delegated_admin.manage') ? <RouterLink to="/delegated-admin">{t('customer.requestAccess')}</RouterLink> : undefined}
    >
      <ProblemBar error={relationships.error} />
      {relationships.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <EmptyState title={t('customer.noGrants')} />
      ) : (
        <DataTable label={t('customers.delegatedAdmin')} columns={[t('column.name'), t('column.state'), t('column.roles'), t('dar.column.end'), t('dar.autoExtend'), t('column.actions')]}>
          {items.map((r) => (
            <TableRow key={r.id}>
              <TableCell>
                <RelationshipLink relationship={r} />
              </TableCell>
              <TableCell>
                <RelationshipStateBadge state={r.state} />
              </TableCell>
              <TableCell>
                <DelegatedRoles roles={r.roles} />
              </TableCell>
              <TableCell>
                <Nowrap>{relationshipEnd(r, t, date)}</Nowrap>
              </TableCell>
              <TableCell>{r.autoExtendDuration === 'P0D' ? <Secondary>{t('dar.autoExtend.off')}</Secondary> : t('dar.autoExtend.on')}</TableCell>
              <TableCell>
                {(r.state === 'active' || r.state === 'expiring') && can(me, 'delegated_admin.act') ? (
                  <RowActions>
                    <TerminateRelationship relationship={r} action="terminate" compact />
                  </RowActions>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      )}
    </Section>
  );
}

/** Seed: "Remove customer relationship" — the good-faith attestation, and what stays behind. */
function RemoveRelationship({ customer, liveGrants, onRemoved }: { customer: Customer; liveGrants: DelegatedAdminGrant[]; onRemoved(remaining: number): void }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  const [attested, setAttested] = useState(false);
  const [revoke, setRevoke] = useState(false);
  const [notifyCustomer, setNotifyCustomer] = useState(false);
  return (
    <ConfirmDialog
      trigger={
        <Button icon={<DeleteRegular />}>{t('remove.button')}</Button>
      }
      title={t('remove.title', { name: customer.name })}
      confirmLabel={t('remove.button')}
      canConfirm={attested}
      onOpenChange={(open) => {
        if (open) {
          setAttested(false);
          setRevoke(false);
          setNotifyCustomer(false);
        }
      }}
      action={() =>
        api.removeRelationship({ id: customer.id, body: { attestation: attested, revokeDelegatedAdmin: revoke, notifyCustomer } })
      }
      onDone={(result) => onRemoved(result.remainingDelegatedAdmin.length)}
    >
      <div className={styles.attest}>
        <Body1 as="p">{t('remove.disappears', { name: customer.name })}</Body1>
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('remove.grantsStay.title')}</MessageBarTitle>
            {liveGrants.length === 0 ? (
              t('remove.grantsStay.none')
            ) : (
              <>
                {t('remove.grantsStay.text', { count: liveGrants.length })}
                <ul className={styles.list}>
                  {liveGrants.map((g) => (
                    <li key={g.id}>
                      <DelegatedRoles roles={g.roles} /> {g.endsAt === null ? t('grant.noEnd') : t('grant.until', { date: date(g.endsAt) })}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </MessageBarBody>
        </MessageBar>
        {liveGrants.length > 0 ? (
          <Checkbox checked={revoke} onChange={(_e, d) => setRevoke(d.checked === true)} label={t('remove.alsoRevoke', { count: liveGrants.length })} />
        ) : null}
        <Checkbox checked={notifyCustomer} onChange={(_e, d) => setNotifyCustomer(d.checked === true)} label={t('remove.notify')} />
        <Checkbox checked={attested} onChange={(_e, d) => setAttested(d.checked === true)} label={t('remove.attestation')} />
        <Body1 as="p">{t('remove.legalNotice')}</Body1>
      </div>
    </ConfirmDialog>
  );
}
