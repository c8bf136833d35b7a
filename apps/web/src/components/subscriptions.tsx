import { Badge, Body1Strong, makeStyles, tokens } from '@fluentui/react-components';
import type { Order, Subscription } from '@tierlink/client';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { Nowrap, Secondary, TableCell } from './table.tsx';

const useStyles = makeStyles({
  parties: { display: 'flex', flexDirection: 'column' },
  lines: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

export function SubscriptionStatus({ status }: { status: Subscription['status'] }) {
  const { t } = useI18n();
  return (
    <Badge appearance="tint" shape="rounded" color={status === 'active' ? 'success' : 'warning'}>
      {t(`subscriptionStatus.${status}`)}
    </Badge>
  );
}

/** "12 seats · 3 licenses assigned" */
export function seatsText(t: Translate, s: Pick<Subscription, 'quantity' | 'assignedLicenses'>): string {
  return `${t('subscriptions.seats', { count: s.quantity })} · ${t('subscriptions.assigned', { count: s.assignedLicenses })}`;
}

/** "Provider: …" over "Reseller: …" (the reseller of record, when there is one). */
export function Parties({ provider, reseller }: { provider: { name: string }; reseller: { name: string } | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <span className={styles.parties}>
      <span>{t('subscriptions.provider', { name: provider.name })}</span>
      {reseller === null ? null : <Secondary>{t('subscriptions.reseller', { name: reseller.name })}</Secondary>}
    </span>
  );
}

/** An order's lines ("3 × Nimbus Standard, monthly: $36.00"), one per item; `nameOf` names a line's SKU. */
export function OrderLines({ order, nameOf }: { order: Pick<Order, 'lines' | 'currency'>; nameOf: (line: Order['lines'][number]) => string }) {
  const styles = useStyles();
  const { t, money } = useI18n();
  return (
    <ul className={styles.lines}>
      {order.lines.map((l, i) => (
        <li key={i}>{t('orders.line', { count: l.quantity, name: nameOf(l), cycle: t(`billingCycle.${l.billingCycle}`), amount: money(l.amount, order.currency) })}</li>
      ))}
    </ul>
  );
}

/** The column headers of a subscription table, matching SubscriptionCells. */
export function subscriptionColumns(t: Translate): string[] {
  return [t('column.product'), t('column.quantity'), t('column.billingCycle'), t('column.status'), t('column.partners')];
}

/** One subscription as table cells: SKU and product, seats and licenses, cycle, status, parties. */
export function SubscriptionCells({ subscription: s }: { subscription: Subscription }) {
  const { t } = useI18n();
  return (
    <>
      <TableCell>
        <Body1Strong block>{s.skuName}</Body1Strong>
        <Secondary>{s.productName}</Secondary>
      </TableCell>
      <TableCell>
        <Nowrap>{seatsText(t, s)}</Nowrap>
      </TableCell>
      <TableCell>{t(`billingCycle.${s.billingCycle}`)}</TableCell>
      <TableCell>
        <SubscriptionStatus status={s.status} />
      </TableCell>
      <TableCell>
        <Parties provider={s.provider} reseller={s.reseller} />
      </TableCell>
    </>
  );
}
