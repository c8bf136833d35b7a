import { Body1, Button, Checkbox, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DeleteRegular, ShieldDismissRegular } from '@fluentui/react-icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError, type Customer, type DelegatedAdminGrant } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { DelegatedRoles, GrantState } from '../components/grants.tsx';
import { RouterLink } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { countryName, useI18n } from '../i18n/index.tsx';
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
  const customer = useQuery({ queryKey: ['customer', id], queryFn: ({ signal }) => api.getCustomer({ id, signal }) });
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
  const { t, locale, date, dateTime } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const grants = useQuery({
    queryKey: ['customer', customer.id, 'grants'],
    queryFn: ({ signal }) => api.listCustomerGrants({ id: customer.id, signal }),
  });
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
        {mayRemove && rel.state === 'active' ? (
          <div>
            <RemoveRelationship
              customer={customer}
              liveGrants={live}
              onRemoved={(remaining) => {
                notify(t('remove.done', { name: customer.name, count: remaining }));
                void queryClient.invalidateQueries({ queryKey: ['customers'] });
                queryClient.removeQueries({ queryKey: ['customer', customer.id] });
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
      <Section title={t('customers.delegatedAdmin')}>
        <ProblemBar error={grants.error} />
        {items.length === 0 ? (
          <EmptyState title={t('customer.noGrants')} />
        ) : (
          <DataTable label={t('customers.delegatedAdmin')} columns={[t('column.roles'), t('column.state'), t('column.from'), t('column.until'), t('column.actions')]}>
            {items.map((g) => (
              <TableRow key={g.id}>
                <TableCell>
                  <DelegatedRoles roles={g.roles} />
                </TableCell>
                <TableCell>
                  <GrantState state={g.state} />
                </TableCell>
                <TableCell>
                <Nowrap>{date(g.startsAt)}</Nowrap>
              </TableCell>
                <TableCell>{g.endsAt === null ? <Secondary>{t('grant.noEnd')}</Secondary> : date(g.endsAt)}</TableCell>
                <TableCell>
                  {mayRemove && g.state === 'active' ? (
                    <RowActions>
                      <RevokeGrant customer={customer} grant={g} onDone={() => void queryClient.invalidateQueries({ queryKey: ['customer', customer.id] })} />
                    </RowActions>
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
        )}
      </Section>
    </>
  );
}

function RevokeGrant({ customer, grant, onDone }: { customer: Customer; grant: DelegatedAdminGrant; onDone(): void }) {
  const { t } = useI18n();
  const notify = useNotify();
  return (
    <ConfirmDialog
      trigger={
        <Button size="small" appearance="subtle" icon={<ShieldDismissRegular />}>
          {t('grant.revoke')}
        </Button>
      }
      title={t('grant.revoke.title', { name: customer.name })}
      confirmLabel={t('grant.revoke')}
      action={() => api.revokeCustomerGrant({ id: customer.id, grantId: grant.id })}
      onDone={() => {
        notify(t('grant.revoke.done'));
        onDone();
      }}
    >
      <Body1 as="p">{t('grant.revoke.text', { name: customer.name })}</Body1>
    </ConfirmDialog>
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
