import { Body1, Button, Caption1, makeStyles, tokens, Tooltip } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular, PeopleRegular, PersonDeleteRegular } from '@fluentui/react-icons';
import type { Customer, CustomerUser } from '@tierlink/client';
import { directoryRoles, type CustomerSort } from '@tierlink/contract';
import { api } from '../api.ts';
import { useId, useState } from 'react';
import { countryName, useI18n } from '../i18n/index.tsx';
import { useSubscriptions } from '../queries/commerce.ts';
import { useCustomerUsers } from '../queries/customers.ts';
import { queryKeys } from '../queries/keys.ts';
import { can, useMe } from '../session.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { GrantSummary } from './grants.tsx';
import { RouterLink } from './links.tsx';
import { errorText } from './problems.tsx';
import { seatsText, SubscriptionStatus } from './subscriptions.tsx';
import { DataTable, Secondary, TableCell, TableRow, Nowrap, type SortableColumn } from './table.tsx';

const useStyles = makeStyles({
  name: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, whiteSpace: 'nowrap' },
  details: { backgroundColor: tokens.colorNeutralBackground2 },
  detailGrid: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    margin: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalS} ${tokens.spacingHorizontalXXXL}`,
  },
  term: { color: tokens.colorNeutralForeground2 },
  dd: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  list: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/**
 * Customers with the seed's down arrow: a row expands to the relationship, the subscriptions (with
 * the licenses assigned), the admin grants and, through a user admin grant, the users and their licenses.
 */
export function CustomerTable({
  label,
  customers,
  column = (text) => text,
}: {
  label: string;
  customers: readonly Customer[];
  /** The header of a column the server can sort by (plain text when the list is not sortable). */
  column?: (label: string, by: CustomerSort) => SortableColumn | string;
}) {
  const { t } = useI18n();
  return (
    <DataTable
      label={label}
      columns={[column(t('column.customer'), 'name'), column(t('column.domain'), 'domain'), column(t('column.country'), 'country'), column(t('column.since'), 'since'), t('column.adminAccess')]}
    >
      {customers.map((c) => (
        <CustomerRows key={c.id} customer={c} />
      ))}
    </DataTable>
  );
}

function CustomerRows({ customer }: { customer: Customer }) {
  const styles = useStyles();
  const { t, locale, date } = useI18n();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const live = customer.delegatedAdmin.filter((g) => g.state === 'active');
  return (
    <>
      <TableRow>
        <TableCell>
          <span className={styles.name}>
            <Button
              size="small"
              appearance="subtle"
              icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
              aria-expanded={open}
              aria-controls={detailsId}
              aria-label={t('customers.toggleDetails', { name: customer.name })}
              onClick={() => setOpen(!open)}
            />
            <RouterLink to="/customers/$id" params={{ id: customer.id }}>
              {customer.name}
            </RouterLink>
          </span>
        </TableCell>
        <TableCell>{customer.domain}</TableCell>
        <TableCell>{countryName(locale, customer.country)}</TableCell>
        <TableCell>
                <Nowrap>{date(customer.relationship.createdAt)}</Nowrap>
              </TableCell>
        <TableCell>{live.length === 0 ? <Secondary>{t('customers.noAdmin')}</Secondary> : t('customers.grants', { count: live.length })}</TableCell>
      </TableRow>
      {open ? (
        <TableRow className={styles.details} id={detailsId}>
          <TableCell colSpan={5}>
            <dl className={styles.detailGrid}>
              <dt className={styles.term}>{t('customers.relationship')}</dt>
              <dd className={styles.dd}>
                <Body1>
                  {t('customers.relationshipLine', {
                    partner: customer.relationship.partner.name,
                    source: t(`relationshipSource.${customer.relationship.source}`),
                    date: date(customer.relationship.createdAt),
                  })}
                </Body1>
              </dd>
              <dt className={styles.term}>{t('customers.delegatedAdmin')}</dt>
              <dd className={styles.dd}>
                {customer.delegatedAdmin.length === 0 ? (
                  <Secondary>{t('customers.noAdmin')}</Secondary>
                ) : (
                  customer.delegatedAdmin.map((g) => <GrantSummary key={g.id} grant={g} />)
                )}
              </dd>
              <CustomerDetails customer={customer} />
            </dl>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

/** The parts of an expanded row loaded on demand: subscriptions, and users with their licenses. */
function CustomerDetails({ customer }: { customer: Customer }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const readsSubscriptions = can(me, 'subscriptions.read');
  const subscriptions = useSubscriptions(customer.id, readsSubscriptions);
  // Users are listed through a delegated admin grant with the user admin role; the API decides
  // whether this caller may act through it, when asked.
  const userAdmin = can(me, 'customer_users.manage') && customer.delegatedAdmin.some((g) => g.state === 'active' && g.roles.includes('user_admin'));
  const [showUsers, setShowUsers] = useState(false);
  const users = useCustomerUsers(customer.id, showUsers);
  const subs = subscriptions.data?.items ?? [];
  return (
    <>
      {readsSubscriptions ? (
        <>
          <dt className={styles.term}>{t('subscriptions.title')}</dt>
          <dd className={styles.dd}>
            {subscriptions.isPending ? (
              <Secondary>{t('common.loading')}</Secondary>
            ) : subscriptions.isError ? (
              <Secondary>{errorText(t, subscriptions.error)}</Secondary>
            ) : subs.length === 0 ? (
              <Secondary>{t('subscriptions.empty')}</Secondary>
            ) : (
              <ul className={styles.list}>
                {subs.map((s) => (
                  <li key={s.id} className={styles.line}>
                    <Body1>{s.skuName}</Body1>
                    <Caption1>
                      {seatsText(t, s)} · {t(`billingCycle.${s.billingCycle}`)}
                    </Caption1>
                    <SubscriptionStatus status={s.status} />
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </>
      ) : null}
      <dt className={styles.term}>{t('customers.users')}</dt>
      <dd className={styles.dd}>
        {!userAdmin ? (
          <Secondary>{t('customers.users.needsGrant')}</Secondary>
        ) : !showUsers ? (
          <span>
            <Button size="small" icon={<PeopleRegular />} onClick={() => setShowUsers(true)}>
              {t('customers.users.show')}
            </Button>
          </span>
        ) : users.isPending ? (
          <Secondary>{t('common.loading')}</Secondary>
        ) : users.isError ? (
          <Secondary>{errorText(t, users.error)}</Secondary>
        ) : users.data.items.length === 0 ? (
          <Secondary>{t('customers.users.none')}</Secondary>
        ) : (
          <ul className={styles.list}>
            {users.data.items.map((u) => (
              <li key={u.id} className={styles.line}>
                <Body1>
                  {u.displayName} <Secondary>{u.email}</Secondary>
                </Body1>
                <Caption1>
                  {u.licenses.length === 0 ? t('customers.users.noLicenses') : t('customers.users.licenses', { names: u.licenses.map((l) => l.skuName).join(', ') })}
                </Caption1>
                <RemoveCustomerUser customer={customer} user={u} />
              </li>
            ))}
          </ul>
        )}
      </dd>
    </>
  );
}

/**
 * Removes a user through the user admin grant. Holders of a directory role are never removed this
 * way (the server answers 403 customer_admin_protected): the button stays, disabled, and says why.
 */
function RemoveCustomerUser({ customer, user }: { customer: Customer; user: CustomerUser }) {
  const { t } = useI18n();
  const label = t('customers.users.remove.label', { name: user.displayName });
  if (user.roles.some((role) => (directoryRoles as readonly string[]).includes(role))) {
    return (
      <Tooltip content={t('customers.users.remove.admin')} relationship="description">
        <Button size="small" appearance="subtle" icon={<PersonDeleteRegular />} disabledFocusable aria-label={label}>
          {t('customers.users.remove')}
        </Button>
      </Tooltip>
    );
  }
  return (
    <ConfirmDialog
      trigger={
        <Button size="small" appearance="subtle" icon={<PersonDeleteRegular />} aria-label={label}>
          {t('customers.users.remove')}
        </Button>
      }
      title={t('customers.users.remove.title', { name: user.displayName })}
      confirmLabel={t('customers.users.remove')}
      action={() => api.removeCustomerUser({ id: customer.id, uid: user.id })}
      notice={() => t('customers.users.remove.done', { name: user.displayName })}
      invalidates={[queryKeys.customer.users(customer.id), queryKeys.customer.subscriptions(customer.id)]}
    >
      <Body1 as="p">{t('customers.users.remove.text', { name: user.displayName, email: user.email, customer: customer.name })}</Body1>
    </ConfirmDialog>
  );
}
