import { Body1, Body1Strong, Button, Field, Input, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Select, tokens } from '@fluentui/react-components';
import { CartRegular, EditRegular, PauseRegular, PlayRegular } from '@fluentui/react-icons';
import { isApiError, type CreditTerms, type Customer, type PlaceOrderInput, type Product, type Sku, type Subscription } from '@tierlink/client';
import type { BillingCycle } from '@tierlink/contract';
import { useRef } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { PartnerSelect } from '../components/PartnerSelect.tsx';
import { EmptyState, Loading, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { OrderLines, Parties, seatsText, SubscriptionCells, subscriptionColumns } from '../components/subscriptions.tsx';
import { DataTable, Nowrap, RowActions, rowButton, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { useCatalog, useOrders, useSubscriptions } from '../queries/commerce.ts';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useCreditLines, useIndirectPartnerNames } from '../queries/partners.ts';
import { can, hasProgram, useMe } from '../session.ts';

const useStyles = makeStyles({
  summary: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingVerticalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

const cycles: readonly BillingCycle[] = ['monthly', 'annual'];

/** Customer page: the subscriptions the caller is party to, with seat and status changes. */
export function SubscriptionsSection({ customer }: { customer: Customer }) {
  const { t } = useI18n();
  const me = useMe();
  const subscriptions = useSubscriptions(customer.id);
  const items = subscriptions.data?.items ?? [];
  const mayManage = can(me, 'subscriptions.manage');
  const order = can(me, 'orders.place') && customer.relationship.state === 'active' ? <PlaceOrder customer={customer} /> : undefined;
  return (
    <Section title={t('subscriptions.title')} actions={order}>
      <ProblemBar error={subscriptions.error} />
      {subscriptions.isPending ? (
        <Loading />
      ) : items.length === 0 && !subscriptions.isError ? (
        <EmptyState title={t('subscriptions.empty')} />
      ) : (
        <DataTable
          label={t('subscriptions.title')}
          columns={[...subscriptionColumns(t), ...(mayManage ? [t('column.actions')] : [])]}
        >
          {items.map((s) => (
            <SubscriptionRow key={s.id} customerId={customer.id} subscription={s} mayManage={mayManage} />
          ))}
        </DataTable>
      )}
    </Section>
  );
}

function SubscriptionRow({ customerId, subscription: s, mayManage }: { customerId: string; subscription: Subscription; mayManage: boolean }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const reload = () => invalidate(queryKeys.customer.subscriptions(customerId));
  const suspend = s.status === 'active';
  const name = s.skuName;
  return (
    <TableRow>
      <SubscriptionCells subscription={s} />
      {mayManage ? (
        <TableCell>
          <RowActions>
            <ChangeQuantity customerId={customerId} subscription={s} />
            <ConfirmDialog
              trigger={rowButton(suspend ? <PauseRegular /> : <PlayRegular />, t(suspend ? 'subscriptions.suspend' : 'subscriptions.reactivate'))}
              title={t(suspend ? 'subscriptions.suspend.title' : 'subscriptions.reactivate.title', { name })}
              confirmLabel={t(suspend ? 'subscriptions.suspend' : 'subscriptions.reactivate')}
              action={() =>
                api.updateSubscription({ id: customerId, sid: s.id, body: { status: suspend ? 'suspended' : 'active' }, headers: { 'if-match': s.etag } })
              }
              notice={() => t(suspend ? 'subscriptions.suspend.done' : 'subscriptions.reactivate.done', { name })}
              invalidates={[queryKeys.customer.subscriptions(customerId)]}
              // A stale version: show the latest one, so that confirming again acts on it.
              onError={(error) => {
                if (isApiError(error) && error.code === 'precondition_failed') void reload();
              }}
            >
              <Body1 as="p">{t(suspend ? 'subscriptions.suspend.text' : 'subscriptions.reactivate.text', { name })}</Body1>
            </ConfirmDialog>
          </RowActions>
        </TableCell>
      ) : null}
    </TableRow>
  );
}

/**
 * "Change quantity": PATCH with If-Match of the version read. When someone changed the
 * subscription meanwhile (412), the dialog says so, reloads it and keeps the quantity typed.
 */
function ChangeQuantity({ customerId, subscription }: { customerId: string; subscription: Subscription }) {
  const { t } = useI18n();
  const invalidate = useInvalidate();
  const listed = queryKeys.customer.subscriptions(customerId);
  const change = useFormDialog({
    // Each opening starts from the version the list shows; `current` is the version the change is made to.
    restart: 'onOpen',
    initial: () => ({ current: subscription, quantity: String(subscription.quantity), reloaded: false }),
    action: ({ current, quantity }) =>
      api.updateSubscription({ id: customerId, sid: current.id, body: { quantity: Number(quantity.trim() === '' ? Number.NaN : quantity) }, headers: { 'if-match': current.etag } }),
    notice: (updated) => t('subscriptions.quantity.done', { name: updated.skuName, count: updated.quantity }),
    invalidates: () => [listed],
    onError: async (error, { current }) => {
      if (!isApiError(error) || error.code !== 'precondition_failed') return;
      const fresh = await api.getSubscription({ id: customerId, sid: current.id });
      change.patch({ current: fresh, reloaded: true });
      void invalidate(listed);
    },
  });
  const { current, quantity } = change.values;
  const stale = change.values.reloaded && isApiError(change.error) && change.error.code === 'precondition_failed';
  return (
    <FormDialog
      trigger={rowButton(<EditRegular />, t('subscriptions.quantity'))}
      {...change.dialog}
      title={t('subscriptions.quantity.title', { name: current.skuName })}
      submitLabel={t('subscriptions.quantity.submit')}
    >
      <Body1 as="p">{seatsText(t, current)}</Body1>
      {stale ? (
        <MessageBar intent="warning" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t('subscriptions.stale.title')}</MessageBarTitle>
            {t('subscriptions.stale.text', { count: current.quantity, status: t(`subscriptionStatus.${current.status}`) })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Field label={t('column.quantity')} required {...change.field('quantity')}>
        <Input type="number" min={1} value={quantity} onChange={(_e, d) => change.set('quantity', d.value)} />
      </Field>
      {stale ? null : <ProblemBar error={change.error} fields={['quantity']} />}
    </FormDialog>
  );
}

/** 128 random bits as hex: an Idempotency-Key (works outside secure contexts, unlike randomUUID). */
function newIdempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function pricedCycles(sku: Sku | undefined): BillingCycle[] {
  return sku === undefined ? [] : cycles.filter((c) => sku.prices[c] !== null);
}

/** What the order dialog holds; '' is "not chosen" (the first SKU, the first provider). */
interface OrderDraft {
  skuId: string;
  cycle: BillingCycle;
  quantity: string;
  partnerId: string;
}

/**
 * "Place an order": SKU from the catalog, billing cycle, quantity and the other partner of
 * record — a reseller orders through one of its providers, a provider may name the reseller of
 * record. Each submit sends an Idempotency-Key; submitting the same order again after a failure
 * (a lost answer, a timeout) sends the same key, so the server replays instead of ordering twice.
 */
function PlaceOrder({ customer }: { customer: Customer }) {
  const { t, money } = useI18n();
  const me = useMe();
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const isProvider = hasProgram(me, 'indirect_provider');
  const place = useFormDialog({
    // The billing cycle chosen last is offered again.
    initial: (previous: OrderDraft | undefined): OrderDraft => ({ skuId: '', cycle: previous?.cycle ?? 'monthly', quantity: '1', partnerId: '' }),
    // The body is derived from the values and the loaded catalog and partners (see `body`).
    action: () => {
      const input = body();
      const text = JSON.stringify(input);
      if (attempt.current?.body !== text) attempt.current = { key: newIdempotencyKey(), body: text };
      return api.placeOrder({ id: customer.id, body: input, headers: { 'idempotency-key': attempt.current.key } });
    },
    notice: (placed) => t('orders.placed', { total: money(placed.totalAmount, placed.currency) }),
    invalidates: () => [
      queryKeys.customer.subscriptions(customer.id),
      queryKeys.customer.orders(customer.id),
      queryKeys.partnerSubscriptions.all,
      queryKeys.partnerOrders.all,
      queryKeys.credit(isProvider ? 'reseller' : 'provider'),
    ],
    // Closing forgets the order and its key: the next one starts afresh.
    onClose: () => {
      attempt.current = null;
    },
  });
  const { skuId, cycle, quantity, partnerId } = place.values;
  const open = place.open;
  const catalog = useCatalog(open);
  const resellers = useIndirectPartnerNames('reseller', open && isProvider);
  const providers = useIndirectPartnerNames('provider', open && !isProvider);
  const products: Product[] = catalog.data?.items ?? [];
  const skus = products.flatMap((p) => p.skus);
  const sku = skus.find((s) => s.id === skuId) ?? skus[0];
  const offered = pricedCycles(sku);
  const billingCycle = offered.includes(cycle) ? cycle : (offered[0] ?? cycle);
  const providerChoice = partnerId !== '' ? partnerId : (providers.data?.items[0]?.organization.id ?? '');
  // The credit line the order draws on: the provider's with the reseller of record, or the reseller's with its provider.
  const creditPartner = isProvider ? partnerId : providerChoice;
  const creditLines = useCreditLines(isProvider ? 'reseller' : 'provider', creditPartner === '' ? [] : [creditPartner], open && can(me, 'credit.read'));
  const partnerName = [...(resellers.data?.items ?? []), ...(providers.data?.items ?? [])].find((p) => p.organization.id === creditPartner)?.organization.name ?? '';
  const seats = Number(quantity.trim() === '' ? Number.NaN : quantity);
  const price = sku?.prices[billingCycle] ?? null;
  const total = sku !== undefined && price !== null && Number.isInteger(seats) && seats >= 1 ? { amount: seats * price, currency: sku.currency } : null;
  function body(): PlaceOrderInput {
    return {
      lines: [{ skuId: sku?.id ?? '', quantity: Number(quantity.trim() === '' ? Number.NaN : quantity), billingCycle }],
      ...(isProvider ? (partnerId === '' ? {} : { resellerId: partnerId }) : { providerId: providerChoice }),
    };
  }
  const e = place.error;
  const at = place.field;
  const partnerField = isProvider ? 'resellerId' : 'providerId';
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<CartRegular />}>
          {t('orders.place')}
        </Button>
      }
      {...place.dialog}
      title={t('orders.place.title', { name: customer.name })}
      submitLabel={t('orders.place.submit')}
      busy={place.busy || catalog.isPending}
    >
      <ProblemBar error={catalog.error ?? resellers.error ?? providers.error} />
      {catalog.isPending ? <Loading /> : null}
      <Field label={t('orders.sku')} required {...at('lines.0.skuId')}>
        <Select value={sku?.id ?? ''} onChange={(_e, d) => place.set('skuId', d.value)}>
          {products.map((p) => (
            <optgroup key={p.id} label={p.name}>
              {p.skus.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </Field>
      <Field label={t('column.billingCycle')} required {...at('lines.0.billingCycle')}>
        <Select value={billingCycle} onChange={(_e, d) => place.set('cycle', d.value === 'annual' ? 'annual' : 'monthly')}>
          {offered.map((c) => {
            const price = sku?.prices[c];
            return (
              <option key={c} value={c}>
                {sku === undefined || price === undefined || price === null
                  ? t(`billingCycle.${c}`)
                  : t('orders.cyclePrice', { cycle: t(`billingCycle.${c}`), price: money(price, sku.currency) })}
              </option>
            );
          })}
        </Select>
      </Field>
      <Field
        label={t('column.quantity')}
        required
        hint={sku === undefined ? undefined : t('orders.quantity.hint', { min: sku.minQuantity, max: sku.maxQuantity })}
        {...at('lines.0.quantity')}
      >
        <Input type="number" min={1} value={quantity} onChange={(_e, d) => place.set('quantity', d.value)} />
      </Field>
      {isProvider ? (
        <PartnerSelect
          label={t('orders.resellerOfRecord')}
          hint={t('orders.resellerOfRecord.hint')}
          field="resellerId"
          error={e}
          value={partnerId}
          onChange={(id) => place.set('partnerId', id)}
          partners={resellers.data?.items ?? []}
          none={t('orders.noReseller')}
        />
      ) : (
        <PartnerSelect
          label={t('orders.provider')}
          hint={t('orders.provider.hint')}
          field="providerId"
          error={e}
          value={providerChoice}
          onChange={(id) => place.set('partnerId', id)}
          partners={providers.data?.items ?? []}
        />
      )}
      <OrderSummary
        total={total}
        credit={
          creditPartner === '' || !can(me, 'credit.read')
            ? { kind: creditPartner === '' && isProvider ? 'direct' : 'unknown' }
            : creditLines.isPending
              ? { kind: 'loading' }
              : { kind: 'line', name: partnerName, line: creditLines.data?.get(creditPartner), refused: !isProvider }
        }
      />
      <ProblemBar error={e} fields={['lines.0.skuId', 'lines.0.billingCycle', 'lines.0.quantity', partnerField]} />
    </FormDialog>
  );
}

type CreditShown =
  | { kind: 'direct' | 'unknown' | 'loading' }
  /** `refused`: the server refuses an order over the credit (a reseller ordering through its provider); a provider's order only uses it up. */
  | { kind: 'line'; name: string; line: CreditTerms | undefined; refused: boolean };

/**
 * The order's total (seats × the chosen cycle's price) and the credit left on the line it draws
 * on, before submit. The figures are the portal's reading: the server decides when the order comes.
 */
function OrderSummary({ total, credit }: { total: { amount: number; currency: string } | null; credit: CreditShown }) {
  const styles = useStyles();
  const { t, money } = useI18n();
  const line = credit.kind === 'line' ? credit.line : undefined;
  const terms = line !== undefined && line.limit !== null && line.currency !== null ? { available: line.available, currency: line.currency } : null;
  let warning: string | null = null;
  if (credit.kind === 'line' && total !== null) {
    if (terms === null) warning = credit.refused ? t('orders.credit.noTermsRefused') : null;
    else if (terms.currency !== total.currency) warning = t('orders.credit.currency', { currency: terms.currency, other: total.currency });
    else if (total.amount > terms.available) {
      const amount = money(terms.available, terms.currency);
      warning = credit.refused ? t('orders.credit.exceeded', { amount }) : t('orders.credit.exceededCounted', { name: credit.name, amount });
    }
  }
  return (
    <section className={styles.summary} aria-label={t('orders.summary')} aria-live="polite">
      <Body1Strong>{t('orders.total', { amount: total === null ? '—' : money(total.amount, total.currency) })}</Body1Strong>
      {credit.kind === 'direct' ? <Body1>{t('orders.credit.direct')}</Body1> : null}
      {credit.kind === 'loading' ? <Body1>{t('common.loading')}</Body1> : null}
      {credit.kind === 'line' ? (
        <Body1>
          {terms === null ? t('orders.credit.noTerms', { name: credit.name }) : t('orders.credit.left', { name: credit.name, amount: money(terms.available, terms.currency) })}
        </Body1>
      ) : null}
      {warning === null ? null : (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{warning}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}

/** Customer page: the orders the caller is party to, newest first. */
export function OrdersSection({ customer }: { customer: Customer }) {
  const { t, dateTime, money } = useI18n();
  const orders = useOrders(customer.id);
  const subscriptions = useSubscriptions(customer.id);
  const nameOf = (subscriptionId: string) => subscriptions.data?.items.find((s) => s.id === subscriptionId)?.skuName ?? t('orders.unknownSku');
  const items = orders.data?.items ?? [];
  return (
    <Section title={t('orders.title')}>
      <ProblemBar error={orders.error} />
      {orders.isPending ? (
        <Loading />
      ) : items.length === 0 && !orders.isError ? (
        <EmptyState title={t('orders.empty')} />
      ) : (
        <DataTable label={t('orders.title')} columns={[t('column.placed'), t('column.lines'), t('column.partners'), t('column.total'), t('column.state')]}>
          {items.map((o) => (
            <TableRow key={o.id}>
              <TableCell>
                <Nowrap>{dateTime(o.createdAt)}</Nowrap>
              </TableCell>
              <TableCell>
                <OrderLines order={o} nameOf={(l) => nameOf(l.subscriptionId)} />
              </TableCell>
              <TableCell>
                <Parties provider={o.provider} reseller={o.reseller} />
              </TableCell>
              <TableCell>
                <Nowrap>{money(o.totalAmount, o.currency)}</Nowrap>
              </TableCell>
              <TableCell>{t(`orderState.${o.state}`)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      )}
    </Section>
  );
}
