import { Body1, Button, Field, makeStyles, Select, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useQueryClient } from '@tanstack/react-query';
import type { CountedPage, ListCount, SortOrder } from '@tierlink/contract';
import { useState, type ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import type { SortableColumn } from './table.tsx';
import { usePaged, type Paged } from './usePaged.ts';

/*
 * The pieces of a server-sorted, searched, counted and exported list: sort state with its sortable
 * headers, the page-size choice, the count line, the counted page, and the CSV link of what the
 * filter shows. The server does the work; these only ask for it and say what came back.
 */

const useStyles = makeStyles({
  controls: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', marginBottom: tokens.spacingVerticalM },
  count: { display: 'block', color: tokens.colorNeutralForeground2, marginBottom: tokens.spacingVerticalS },
});

/** A list's filter and page-size controls, on one wrapping line. */
export function ListControls({ label, children }: { label: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.controls} role="group" aria-label={label}>
      {children}
    </div>
  );
}

export const pageSizes = [25, 50, 100] as const;
export const defaultPageSize = 50;

/** Rows per page: 25, 50 or 100. */
export function PageSizeSelect({ value, onChange }: { value: number; onChange: (size: number) => void }) {
  const { t } = useI18n();
  return (
    <Field label={t('table.pageSize')}>
      <Select value={String(value)} onChange={(_e, d) => onChange(pageSizes.find((n) => String(n) === d.value) ?? defaultPageSize)}>
        {pageSizes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </Select>
    </Field>
  );
}

export interface ListSort<S extends string> {
  by: S;
  order: SortOrder;
}

/**
 * Which column the list is sorted by and which way. A click on the sorted column turns it around;
 * another column starts in its natural order (`naturalOrder`: names A→Z, dates newest first).
 */
export function useListSort<S extends string>(initial: ListSort<S>, naturalOrder: (by: S) => SortOrder) {
  const [sort, setSort] = useState<ListSort<S>>(initial);
  const column = (label: string, by: S): SortableColumn => ({
    label,
    direction: sort.by === by ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined,
    onSort: () => setSort((old) => (old.by === by ? { by, order: old.order === 'asc' ? 'desc' : 'asc' } : { by, order: naturalOrder(by) })),
  });
  return { sort, column };
}

export interface CountedPaged<T> extends Paged<T> {
  /** How many rows the filter matches, as the first page said (null until it has). */
  count: ListCount | null;
}

/**
 * A cursor-paged list that asks for its count with the first page only (counting costs a scan
 * the next pages need not repeat) and keeps it while the same filter is paged through.
 */
export function useCountedPaged<T>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined, count: boolean, signal: AbortSignal) => Promise<CountedPage<T>>,
): CountedPaged<T> {
  const client = useQueryClient();
  const paged = usePaged<T>(key, (cursor, signal) => fetchPage(cursor, cursor === undefined, signal));
  const first = paged.pager.page === 1 ? paged.query.data : client.getQueryData<CountedPage<T>>([...key, { cursor: undefined }]);
  return { ...paged, count: (first as CountedPage<T> | undefined)?.count ?? null };
}

/**
 * "1–50 of 1,234 subscriptions", or "1–50 of more than 10,000 subscriptions" when the server
 * stopped counting; `exact` and `more` are plural messages with {from}, {to} and {count}.
 */
export function CountLine({ count, page, pageSize, shown, exact, more }: { count: ListCount | null; page: number; pageSize: number; shown: number; exact: MessageKey; more: MessageKey }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (count === null || shown === 0) return null;
  const from = (page - 1) * pageSize + 1;
  const vars = { from, to: from + shown - 1, count: count.value };
  return (
    <Body1 className={styles.count} aria-live="polite">
      {t(count.exact ? exact : more, vars)}
    </Body1>
  );
}

/** The query string of a list's filter: empty values are left out. */
export function searchOf(filter: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** "Download CSV": a plain link to the list's export with the filter and sort shown (the server streams it). */
export function DownloadCsv({ href, filename, title }: { href: string; filename: string; title: string }) {
  const { t } = useI18n();
  return (
    <Button as="a" href={href} download={filename} icon={<ArrowDownloadRegular />} title={title}>
      {t('list.downloadCsv')}
    </Button>
  );
}
