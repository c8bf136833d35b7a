import { Body1, Caption1, Card, makeStyles, Subtitle2, Switch, tokens } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import type { CustomerDashboard, OperatorDashboard, ProviderDashboard, ResellerDashboard } from '@tierlink/client';
import type { DelegatedRole, ListCount, Money, OrdersByMonth } from '@tierlink/contract';
import { lazy, Suspense, useId, useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { RouterLink } from '../components/links.tsx';
import { EmptyState, Loading, PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, TableCell, TableRow } from '../components/table.tsx';
import { countryName, minorDigits, monthName, useI18n, type I18n, type MessageKey } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { actionLabel } from './AuditPage.tsx';

/** The charts library loads with the first chart, never with the portal's first page. */
const MonthlyBarChart = lazy(() => import('../components/charts.tsx').then((m) => ({ default: m.MonthlyBarChart })));
const UsageBarChart = lazy(() => import('../components/charts.tsx').then((m) => ({ default: m.UsageBarChart })));
const SliceDonutChart = lazy(() => import('../components/charts.tsx').then((m) => ({ default: m.SliceDonutChart })));
const StackedColumnChart = lazy(() => import('../components/charts.tsx').then((m) => ({ default: m.StackedColumnChart })));

export type DashboardKind = 'provider' | 'reseller' | 'customer' | 'operator';

const useStyles = makeStyles({
  tiles: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: tokens.spacingHorizontalL, marginBottom: tokens.spacingVerticalXL },
  tile: { padding: tokens.spacingHorizontalL },
  tileLink: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, textDecorationLine: 'none' },
  figure: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  charts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: tokens.spacingHorizontalXL },
  chart: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL, minWidth: 0 },
  chartHead: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  chartBody: { minHeight: '240px' },
  // The text alternative stays in the page for screen readers while the chart is shown.
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', margin: '-1px', padding: 0, overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap', border: 0 },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** A figure that leads to the list behind it. */
function Tile({ label, value, to }: { label: string; value: string; to: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.tile} appearance="filled-alternative">
      <RouterLink to={to} className={styles.tileLink} data-testid="home-tile">
        <span className={styles.figure}>{value}</span> <span>{label}</span>
      </RouterLink>
    </Card>
  );
}

/** A chart with its accessible table: the table is always in the page (visually hidden unless asked for). */
function ChartCard({ title, note, chart, table, link }: { title: string; note?: string; chart: ReactNode; table: ReactNode; link?: ReactNode }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [asTable, setAsTable] = useState(false);
  const titleId = useId();
  return (
    <Card className={styles.chart} role="group" aria-labelledby={titleId}>
      <div className={styles.chartHead}>
        <Subtitle2 as="h2" id={titleId}>
          {title}
        </Subtitle2>
        <Switch label={t('home.table.show')} checked={asTable} onChange={(_, d) => setAsTable(d.checked)} />
      </div>
      {note === undefined ? null : <Caption1>{note}</Caption1>}
      {asTable ? null : (
        <div className={styles.chartBody} data-testid="home-chart">
          <Suspense fallback={<Loading />}>{chart}</Suspense>
        </div>
      )}
      <div className={asTable ? undefined : styles.visuallyHidden}>{table}</div>
      {link}
    </Card>
  );
}

/** The first currency's amount (months have one currency in practice; others show in the table). */
const mainCurrency = (months: OrdersByMonth): string | null => months.flatMap((m) => m.value)[0]?.currency ?? null;
const moneyList = (i18n: I18n, values: readonly Money[]) => (values.length === 0 ? '—' : values.map((v) => i18n.money(v.amount, v.currency)).join(', '));

function OrdersChart({ months, link }: { months: OrdersByMonth; link?: ReactNode }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const currency = mainCurrency(months);
  const title = t('home.chart.orders');
  const points = months.map((m) => {
    const amount = m.value.find((v) => v.currency === currency)?.amount ?? 0;
    return {
      label: monthName(locale, m.month),
      value: currency === null ? m.orders : amount / 10 ** minorDigits(currency),
      valueText: currency === null ? i18n.number(m.orders) : i18n.money(amount, currency),
      detail: t('home.chart.ordersCount', { count: m.orders }),
    };
  });
  return (
    <ChartCard
      title={title}
      note={currency === null ? t('home.orders.none') : t('home.chart.ordersNote', { currency })}
      chart={<MonthlyBarChart title={title} points={points} culture={locale} />}
      table={
        <DataTable label={title} columns={[t('home.table.month'), t('home.table.orders'), t('home.table.value')]}>
          {months.map((m) => (
            <TableRow key={m.month}>
              <TableCell>{monthName(locale, m.month)}</TableCell>
              <TableCell>{i18n.number(m.orders)}</TableCell>
              <TableCell>{moneyList(i18n, m.value)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      }
      link={link}
    />
  );
}

interface CreditLine {
  partner: { id: string; name: string };
  used: number;
  limit: number | null;
  currency: string | null;
}

function CreditChart({ lines, note, partnerLabel, link }: { lines: readonly CreditLine[]; note?: string; partnerLabel: string; link: ReactNode }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const title = t('home.chart.credit');
  const amount = (minor: number | null, currency: string | null) => (minor === null ? t('home.table.noLimit') : currency === null ? i18n.number(minor) : i18n.money(minor, currency));
  return (
    <ChartCard
      title={title}
      note={note}
      chart={
        lines.length === 0 ? (
          <Body1>{t('home.chart.noCredit')}</Body1>
        ) : (
          <UsageBarChart
            culture={locale}
            usedLabel={t('home.table.used')}
            lines={lines.map((l) => ({ label: l.partner.name, used: l.used, limit: l.limit, usedText: `${amount(l.used, l.currency)} / ${amount(l.limit, l.currency)}` }))}
          />
        )
      }
      table={
        <DataTable label={title} columns={[partnerLabel, t('home.table.used'), t('home.table.limit')]}>
          {lines.map((l) => (
            <TableRow key={l.partner.id}>
              <TableCell>{l.partner.name}</TableCell>
              <TableCell>{amount(l.used, l.currency)}</TableCell>
              <TableCell>{amount(l.limit, l.currency)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      }
      link={link}
    />
  );
}

function Tiles({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.tiles}>{children}</div>;
}

function Charts({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.charts}>{children}</div>;
}

/** Tiles for the figures the caller may see (a null section is left out); a capped count says "more than". */
function tile(i18n: I18n, value: number | ListCount | null, label: MessageKey, to: string): ReactNode {
  if (value === null) return null;
  const text = typeof value === 'number' ? i18n.number(value) : value.exact ? i18n.number(value.value) : i18n.t('home.tile.moreThan', { count: value.value });
  return <Tile key={label} label={i18n.t(label)} value={text} to={to} />;
}

function ProviderHome({ d }: { d: ProviderDashboard }) {
  const i18n = useI18n();
  const { t } = i18n;
  const thisMonth = d.ordersByMonth?.at(-1)?.orders ?? null;
  return (
    <>
      <Tiles>
        {tile(i18n, d.resellers, 'home.tile.resellers', '/indirect-resellers')}
        {tile(i18n, d.customers, 'home.tile.sharedCustomers', '/customers')}
        {tile(i18n, thisMonth, 'home.tile.ordersThisMonth', '/customers')}
        {tile(i18n, d.pendingInvitations, 'home.tile.pendingInvitations', '/invitations')}
        {tile(i18n, d.delegatedAdminEndingSoon, 'home.tile.endingSoon', '/customers')}
      </Tiles>
      <Charts>
        {d.ordersByMonth === null ? null : <OrdersChart months={d.ordersByMonth} link={<RouterLink to="/customers">{t('home.link.customers')}</RouterLink>} />}
        {d.credit === null ? null : (
          <CreditChart
            lines={d.credit.lines}
            partnerLabel={t('home.table.reseller')}
            note={d.credit.total > d.credit.lines.length ? t('home.chart.creditTop', { count: d.credit.lines.length, total: d.credit.total }) : undefined}
            link={<RouterLink to="/indirect-resellers">{t('home.link.resellers')}</RouterLink>}
          />
        )}
      </Charts>
    </>
  );
}

function ResellerHome({ d }: { d: ResellerDashboard }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const subscriptions = d.subscriptionsByProduct;
  const active = subscriptions === null ? null : subscriptions.reduce((n, p) => n + p.subscriptions, 0);
  const title = t('home.chart.subscriptions');
  return (
    <>
      <Tiles>
        {tile(i18n, d.customers, 'home.tile.customers', '/customers')}
        {tile(i18n, active, 'home.tile.subscriptions', '/customers')}
        {tile(i18n, d.ordersByMonth?.at(-1)?.orders ?? null, 'home.tile.ordersThisMonth', '/customers')}
        {tile(i18n, d.pendingInvitations, 'home.tile.pendingInvitations', '/invitations')}
        {tile(i18n, d.delegatedAdminEndingSoon, 'home.tile.endingSoon', '/customers')}
      </Tiles>
      <Charts>
        {d.ordersByMonth === null ? null : <OrdersChart months={d.ordersByMonth} link={<RouterLink to="/customers">{t('home.link.customers')}</RouterLink>} />}
        {subscriptions === null ? null : (
          <ChartCard
            title={title}
            chart={
              subscriptions.length === 0 ? (
                <Body1>{t('home.chart.noSubscriptions')}</Body1>
              ) : (
                <SliceDonutChart title={title} culture={locale} slices={subscriptions.map((p) => ({ label: p.product.name, value: p.subscriptions }))} />
              )
            }
            table={
              <DataTable label={title} columns={[t('home.table.product'), t('home.table.subscriptions'), t('home.table.seats')]}>
                {subscriptions.map((p) => (
                  <TableRow key={p.product.id}>
                    <TableCell>{p.product.name}</TableCell>
                    <TableCell>{i18n.number(p.subscriptions)}</TableCell>
                    <TableCell>{i18n.number(p.seats)}</TableCell>
                  </TableRow>
                ))}
              </DataTable>
            }
            link={<RouterLink to="/customers">{t('home.link.customers')}</RouterLink>}
          />
        )}
        {d.credit === null ? null : (
          <CreditChart lines={d.credit} partnerLabel={t('home.table.provider')} link={<RouterLink to="/indirect-providers">{t('home.link.providers')}</RouterLink>} />
        )}
      </Charts>
    </>
  );
}

function CustomerHome({ d }: { d: CustomerDashboard }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const roleText = (roles: readonly DelegatedRole[]) => roles.map((r) => t(`delegatedRole.${r}`)).join(', ');
  const actions = d.recentPartnerActions;
  return (
    <>
      <Tiles>
        <Tile label={t('home.tile.partners')} value={d.partners.more ? t('home.tile.moreThan', { count: d.partners.items.length }) : i18n.number(d.partners.items.length)} to="/partners" />
        {actions === null ? null : <Tile label={t('home.tile.partnerActions')} value={i18n.number(actions.length)} to="/audit" />}
      </Tiles>
      <Charts>
        <Card className={styles.chart}>
          <Subtitle2 as="h2">{t('home.partners.title')}</Subtitle2>
          {d.partners.items.length === 0 ? (
            <EmptyState title={t('home.partners.none')} />
          ) : (
            <DataTable label={t('home.partners.title')} columns={[t('home.table.partner'), t('home.partners.relationship'), t('home.partners.roles')]}>
              {d.partners.items.map((p) => (
                <TableRow key={p.organization.id}>
                  <TableCell>{p.organization.name}</TableCell>
                  <TableCell>{p.relationship ? t('home.partners.yes') : t('home.partners.no')}</TableCell>
                  <TableCell>
                    {p.roles.length === 0
                      ? t('home.partners.noAccess')
                      : p.accessEndsAt === null
                        ? roleText(p.roles)
                        : t('home.partners.until', { roles: roleText(p.roles), date: i18n.date(p.accessEndsAt) })}
                  </TableCell>
                </TableRow>
              ))}
            </DataTable>
          )}
          <RouterLink to="/partners">{t('home.link.partners')}</RouterLink>
        </Card>
        {actions === null || actions.length === 0 ? null : <ActionsByPartner actions={actions} />}
        {actions === null ? null : (
          <Card className={styles.chart}>
            <Subtitle2 as="h2">{t('home.actions.title')}</Subtitle2>
            {actions.length === 0 ? (
              <EmptyState title={t('home.actions.none')} />
            ) : (
              <DataTable label={t('home.actions.title')} columns={[t('home.table.when'), t('home.table.partner'), t('home.table.who'), t('home.table.action')]}>
                {actions.map((a) => (
                  <TableRow key={a.id}>
                    <TableCell>{i18n.dateTime(a.occurredAt)}</TableCell>
                    <TableCell>{a.partner.name}</TableCell>
                    <TableCell>{a.actorDisplayName ?? '—'}</TableCell>
                    <TableCell>{actionLabel(t, a.action)}</TableCell>
                  </TableRow>
                ))}
              </DataTable>
            )}
            <RouterLink to="/audit">{t('home.link.audit')}</RouterLink>
          </Card>
        )}
      </Charts>
    </>
  );
}

/** Who acted: the recent partner actions counted per partner. */
function ActionsByPartner({ actions }: { actions: NonNullable<CustomerDashboard['recentPartnerActions']> }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const title = t('home.chart.actionsByPartner');
  const partners = [...new Map(actions.map((a) => [a.partner.id, a.partner.name])).entries()].map(([id, name]) => ({
    id,
    name,
    actions: actions.filter((a) => a.partner.id === id).length,
  }));
  return (
    <ChartCard
      title={title}
      chart={<SliceDonutChart title={title} culture={locale} slices={partners.map((p) => ({ label: p.name, value: p.actions }))} />}
      table={
        <DataTable label={title} columns={[t('home.table.partner'), t('home.table.actions')]}>
          {partners.map((p) => (
            <TableRow key={p.id}>
              <TableCell>{p.name}</TableCell>
              <TableCell>{i18n.number(p.actions)}</TableCell>
            </TableRow>
          ))}
        </DataTable>
      }
      link={<RouterLink to="/audit">{t('home.link.audit')}</RouterLink>}
    />
  );
}

function OperatorHome({ d }: { d: OperatorDashboard }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const title = t('home.chart.partners');
  const programs = ['indirect_provider', 'indirect_reseller'] as const;
  const legends = programs.map((p) => t(`program.${p}`));
  const countries = [...new Set(d.partnersByProgram.map((r) => r.country))];
  const count = (country: string, program: (typeof programs)[number]) => d.partnersByProgram.find((r) => r.country === country && r.program === program)?.partners ?? 0;
  const total = d.partnersByProgram.reduce((n, r) => n + r.partners, 0);
  return (
    <>
      <Tiles>
        <Tile label={t('home.tile.enrollmentQueue')} value={i18n.number(d.enrollmentQueue)} to="/operator/enrollments" />
        <Tile label={t('home.tile.programPartners')} value={i18n.number(total)} to="/operator/partners" />
        <Tile label={t('home.tile.ordersThisMonth')} value={i18n.number(d.ordersByMonth.at(-1)?.orders ?? 0)} to="/catalog" />
      </Tiles>
      <Charts>
        <ChartCard
          title={title}
          chart={
            countries.length === 0 ? (
              <Body1>{t('home.chart.noPartners')}</Body1>
            ) : (
              <StackedColumnChart
                title={title}
                culture={locale}
                legends={legends}
                columns={countries.map((c) => ({ label: countryName(locale, c), parts: programs.map((p, i) => ({ legend: legends[i] ?? p, value: count(c, p) })) }))}
              />
            )
          }
          table={
            <DataTable label={title} columns={[t('home.table.country'), ...legends]}>
              {countries.map((c) => (
                <TableRow key={c}>
                  <TableCell>{countryName(locale, c)}</TableCell>
                  {programs.map((p) => (
                    <TableCell key={p}>{i18n.number(count(c, p))}</TableCell>
                  ))}
                </TableRow>
              ))}
            </DataTable>
          }
          link={<RouterLink to="/operator/partners">{t('home.link.operatorPartners')}</RouterLink>}
        />
        <OrdersChart months={d.ordersByMonth} />
      </Charts>
    </>
  );
}

/** "/" for a caller who may read its kind's dashboard: figures that lead to their lists, and charts. */
export function DashboardPage({ kind }: { kind: DashboardKind }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('home.title')} description={t(`home.description.${kind}`)} />
      {kind === 'provider' ? <Provider /> : kind === 'reseller' ? <Reseller /> : kind === 'customer' ? <Customer /> : <Operator />}
    </>
  );
}

function Provider() {
  const q = useQuery({ queryKey: queryKeys.dashboard('provider'), queryFn: ({ signal }) => api.getProviderDashboard({ signal }) });
  return q.error !== null ? <ProblemBar error={q.error} /> : q.data === undefined ? <Loading /> : <ProviderHome d={q.data} />;
}
function Reseller() {
  const q = useQuery({ queryKey: queryKeys.dashboard('reseller'), queryFn: ({ signal }) => api.getResellerDashboard({ signal }) });
  return q.error !== null ? <ProblemBar error={q.error} /> : q.data === undefined ? <Loading /> : <ResellerHome d={q.data} />;
}
function Customer() {
  const q = useQuery({ queryKey: queryKeys.dashboard('customer'), queryFn: ({ signal }) => api.getCustomerDashboard({ signal }) });
  return q.error !== null ? <ProblemBar error={q.error} /> : q.data === undefined ? <Loading /> : <CustomerHome d={q.data} />;
}
function Operator() {
  const q = useQuery({ queryKey: queryKeys.dashboard('operator'), queryFn: ({ signal }) => api.getOperatorDashboard({ signal }) });
  return q.error !== null ? <ProblemBar error={q.error} /> : q.data === undefined ? <Loading /> : <OperatorHome d={q.data} />;
}
