import { Button, Field, Input, makeStyles, Select, Switch, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, ChevronRightRegular, DismissRegular } from '@fluentui/react-icons';
import type { AuditEvent } from '@tierlink/client';
import { auditActions, auditTargetTypes, type AuditAction, type AuditTargetType } from '@tierlink/contract';
import { useId, useMemo, useState } from 'react';
import { CustomerPicker } from '../components/CustomerPicker.tsx';
import { CountLine, defaultPageSize, DownloadCsv, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { can, useMe } from '../session.ts';
import { useAuditEvents, type AuditFilter } from '../queries/organization.ts';

const useStyles = makeStyles({
  cell: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  lines: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, wordBreak: 'break-word' },
  details: { backgroundColor: tokens.colorNeutralBackground2 },
  pre: { margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', marginBottom: tokens.spacingVerticalM },
  filter: { minWidth: '160px', maxWidth: '280px' },
});

const isAction = (action: string): action is AuditAction => auditActions.some((a) => a === action);
const isTargetType = (type: string): type is AuditTargetType => auditTargetTypes.some((a) => a === type);

/** "Invitation created" for a known action; the code itself for one this portal does not know yet. */
export function actionLabel(t: Translate, action: string): string {
  return isAction(action) ? t(`auditAction.${action}`) : action;
}

function targetLabel(t: Translate, type: string): string {
  return isTargetType(type) ? t(`auditTarget.${type}`) : type;
}

/** A date field's value (the user's calendar day) as the instant that day starts, locally. */
const dayStart = (day: string, plusDays = 0): string | undefined => {
  if (day === '') return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
};

interface Filters {
  from: string;
  to: string;
  actorId: string;
  action: string;
  targetType: string;
  /** An organization id: the customer a partner acted for, or a customer's own (its partners' actions). */
  onBehalfOf: string;
}
const noFilters: Filters = { from: '', to: '', actorId: '', action: '', targetType: '', onBehalfOf: '' };

/** Every change that concerns the organization, newest (or oldest) first, filtered, counted and paged on the server; CSV of what is shown. */
export function AuditPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const [filters, setFilters] = useState<Filters>(noFilters);
  // "Clear filters" also empties the customer picker's text (a new picker).
  const [cleared, setCleared] = useState(0);
  // Partners find the customer they acted for; a customer narrows to what partners did in it.
  const ownOrganization = me.organization.kind === 'customer';
  const picksCustomer = me.organization.kind === 'partner' && can(me, 'customers.read');
  const query: AuditFilter = useMemo(
    () => ({
      // "To" includes the whole day chosen.
      from: dayStart(filters.from),
      to: dayStart(filters.to, 1),
      actorId: filters.actorId === '' ? undefined : filters.actorId,
      action: filters.action === '' ? undefined : filters.action,
      targetType: filters.targetType === '' ? undefined : filters.targetType,
      onBehalfOf: filters.onBehalfOf === '' ? undefined : filters.onBehalfOf,
    }),
    [filters],
  );
  const [limit, setLimit] = useState(defaultPageSize);
  // Only time sorts the log: newest first unless turned around.
  const { sort, column } = useListSort<'occurredAt'>({ by: 'occurredAt', order: 'desc' }, () => 'desc');
  const { query: events, items, pager, count } = useAuditEvents(query, sort.order, limit);
  // Who acted, among the events shown (and the one filtered by): the API filters by their id.
  const [actors, setActors] = useState<ReadonlyMap<string, string>>(new Map());
  const seen = new Map(actors);
  for (const e of items) {
    const id = e.actor.userId ?? e.actor.apiKeyId;
    if (id !== null && !seen.has(id)) seen.set(id, e.actor.displayName ?? t('audit.apiKey'));
  }
  if (seen.size !== actors.size) setActors(seen);
  const set = (patch: Partial<Filters>) => setFilters((old) => ({ ...old, ...patch }));
  const exportUrl = `/api/v1/audit-events/export${searchOf({ ...query, order: sort.order === 'desc' ? undefined : sort.order })}`;
  const filtered = Object.values(filters).some((v) => v !== '');
  return (
    <>
      <PageHeader
        title={t('nav.audit')}
        description={t('audit.description')}
        actions={<DownloadCsv href={exportUrl} filename="audit-log.csv" title={t('audit.export.label')} />}
      />
      <div className={styles.filters} role="group" aria-label={t('audit.filters')}>
        <Field label={t('audit.from')} className={styles.filter}>
          <Input type="date" value={filters.from} max={filters.to === '' ? undefined : filters.to} onChange={(_e, d) => set({ from: d.value })} />
        </Field>
        <Field label={t('audit.to')} className={styles.filter}>
          <Input type="date" value={filters.to} min={filters.from === '' ? undefined : filters.from} onChange={(_e, d) => set({ to: d.value })} />
        </Field>
        <Field label={t('audit.action')} className={styles.filter}>
          <Select value={filters.action} onChange={(_e, d) => set({ action: d.value })}>
            <option value="">{t('audit.allActions')}</option>
            {[...auditActions]
              .map((a) => [a, t(`auditAction.${a}`)] as const)
              .sort(([, a], [, b]) => a.localeCompare(b))
              .map(([a, label]) => (
                <option key={a} value={a}>
                  {label}
                </option>
              ))}
          </Select>
        </Field>
        <Field label={t('audit.targetType')} className={styles.filter}>
          <Select value={filters.targetType} onChange={(_e, d) => set({ targetType: d.value })}>
            <option value="">{t('audit.allTargetTypes')}</option>
            {auditTargetTypes.map((type) => (
              <option key={type} value={type}>
                {t(`auditTarget.${type}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t('audit.actor')} className={styles.filter}>
          <Select value={filters.actorId} onChange={(_e, d) => set({ actorId: d.value })}>
            <option value="">{t('audit.allActors')}</option>
            {[...actors].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        </Field>
        {picksCustomer ? (
          <CustomerPicker
            key={cleared}
            label={t('audit.onBehalfOf')}
            hint={t('audit.onBehalfOfHint')}
            className={styles.filter}
            value={filters.onBehalfOf}
            onChange={(id) => set({ onBehalfOf: id })}
          />
        ) : null}
        {ownOrganization ? (
          <Switch
            label={t('audit.onBehalfOfOwn')}
            checked={filters.onBehalfOf !== ''}
            onChange={(_e, d) => set({ onBehalfOf: d.checked ? me.organization.id : '' })}
          />
        ) : null}
        <PageSizeSelect value={limit} onChange={setLimit} />
        {filtered ? (
          <Button icon={<DismissRegular />} onClick={() => {
              setFilters(noFilters);
              setCleared((n) => n + 1);
            }}>
            {t('audit.clear')}
          </Button>
        ) : null}
      </div>
      <ProblemBar error={events.error} />
      {events.isPending ? (
        <Loading />
      ) : items.length === 0 && !events.isError ? (
        <EmptyState title={filtered ? t('audit.emptyFiltered') : t('audit.empty')} />
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="audit.count" more="audit.countMore" />
          <DataTable label={t('nav.audit')} columns={[column(t('column.when'), 'occurredAt'), t('column.action'), t('column.actor'), t('column.target'), t('column.onBehalfOf')]}>
            {items.map((e) => (
              <AuditRows key={e.id} event={e} />
            ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}


function AuditRows({ event: e }: { event: AuditEvent }) {
  const styles = useStyles();
  const { t, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const action = actionLabel(t, e.action);
  return (
    <>
      <TableRow>
        <TableCell>
          <span className={styles.cell}>
            <Button
              size="small"
              appearance="subtle"
              icon={open ? <ChevronDownRegular /> : <ChevronRightRegular />}
              aria-expanded={open}
              aria-controls={id}
              aria-label={t('audit.toggle', { action })}
              onClick={() => setOpen(!open)}
            />
            {dateTime(e.occurredAt)}
          </span>
        </TableCell>
        <TableCell>{action}</TableCell>
        <TableCell>{e.actor.displayName ?? <Secondary>{e.actor.apiKeyId === null ? t('audit.system') : t('audit.apiKey')}</Secondary>}</TableCell>
        <TableCell>
          <span className={styles.lines}>
            <span>{targetLabel(t, e.target.type)}</span>
            {e.target.name === null ? null : <Secondary>{e.target.name}</Secondary>}
          </span>
        </TableCell>
        <TableCell>{e.onBehalfOf === null ? <Secondary>—</Secondary> : targetLabel(t, e.onBehalfOf.type)}</TableCell>
      </TableRow>
      {open ? (
        <TableRow className={styles.details} id={id}>
          <TableCell colSpan={5}>
            <pre className={styles.pre}>
              {JSON.stringify({ action: e.action, target: e.target, before: e.before, after: e.after, requestId: e.requestId }, null, 2)}
            </pre>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}
