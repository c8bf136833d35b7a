import { Body1, Button, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import type { Customer } from '@tierlink/client';
import { useId, useState } from 'react';
import { countryName, useI18n } from '../i18n/index.tsx';
import { GrantSummary } from './grants.tsx';
import { RouterLink } from './links.tsx';
import { DataTable, Secondary, TableCell, TableRow, Nowrap } from './table.tsx';

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
});

/** Customers with the seed's down arrow: a row expands to the relationship and admin grants. */
export function CustomerTable({ label, customers }: { label: string; customers: readonly Customer[] }) {
  const { t } = useI18n();
  return (
    <DataTable label={label} columns={[t('column.customer'), t('column.domain'), t('column.country'), t('column.since'), t('column.adminAccess')]}>
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
            </dl>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}
