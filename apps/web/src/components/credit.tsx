import { Body1, Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { MoneyRegular } from '@fluentui/react-icons';
import type { CreditTerms } from '@tierlink/client';
import { createContext, useContext, type ReactNode } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys, type PartnerSide } from '../queries/keys.ts';
import { useCreditLines } from '../queries/partners.ts';
import { FormDialog } from './FormDialog.tsx';
import { fromMinor, toMinor } from './money.ts';
import { errorText, ProblemBar } from './problems.tsx';
import { rowButton, Secondary } from './table.tsx';
import { useFormDialog } from './useForm.ts';

const useStyles = makeStyles({
  summary: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, whiteSpace: 'nowrap' },
  pair: { display: 'grid', gridTemplateColumns: '2fr 1fr', gap: tokens.spacingHorizontalM },
});

interface CreditLines {
  pending: boolean;
  error: unknown;
  lines: ReadonlyMap<string, CreditTerms>;
}

const CreditContext = createContext<CreditLines>({ pending: false, error: null, lines: new Map() });

/** Loads the credit lines of one page of partners in one request, for the rows below it. */
export function CreditLinesProvider({ side, ids, enabled, children }: { side: PartnerSide; ids: readonly string[]; enabled: boolean; children: ReactNode }) {
  const query = useCreditLines(side, ids, enabled);
  const value: CreditLines = { pending: query.isPending && enabled && ids.length > 0, error: query.error, lines: query.data ?? new Map<string, CreditTerms>() };
  return <CreditContext.Provider value={value}>{children}</CreditContext.Provider>;
}

/** "Limit $50,000.00 · Used this month (UTC calendar month): $1,200.00 · Available: $48,800.00", or "No credit terms". */
export function CreditSummary({ id }: { id: string }) {
  const styles = useStyles();
  const { t, money } = useI18n();
  const credit = useContext(CreditContext);
  if (credit.pending) return <Secondary>{t('common.loading')}</Secondary>;
  if (credit.error !== null) return <Secondary>{errorText(t, credit.error)}</Secondary>;
  const c = credit.lines.get(id);
  if (c === undefined || c.limit === null || c.currency === null) return <Secondary>{t('credit.none')}</Secondary>;
  return (
    <span className={styles.summary}>
      <Body1>{t('credit.limit', { amount: money(c.limit, c.currency) })}</Body1>
      <Caption1>{t('credit.exposure', { amount: money(c.exposure, c.currency) })}</Caption1>
      <Caption1>{t('credit.available', { amount: money(c.available, c.currency) })}</Caption1>
    </span>
  );
}

/** Provider: sets the reseller's credit limit (one line per reseller, in one currency). */
export function SetCreditLimit({ reseller }: { reseller: { id: string; name: string } }) {
  const styles = useStyles();
  const { t, money } = useI18n();
  const credit = useContext(CreditContext);
  const form = useFormDialog({
    // Each opening starts from the limit the list shows.
    restart: 'onOpen',
    initial: () => {
      const c = credit.lines.get(reseller.id);
      const currency = c?.currency ?? 'USD';
      return { limit: c === undefined || c.limit === null ? '' : fromMinor(c.limit, currency), currency };
    },
    validate: ({ limit, currency }): Record<string, string> => {
      const minor = toMinor(limit, currency);
      return minor === undefined || Number.isNaN(minor) ? { limit: t('catalog.price.invalid') } : {};
    },
    // validate() let only a number through.
    action: ({ limit, currency }) => api.setResellerCredit({ id: reseller.id, body: { limit: toMinor(limit, currency) ?? Number.NaN, currency } }),
    notice: (terms) => (terms.limit !== null && terms.currency !== null ? t('credit.set.done', { name: reseller.name, amount: money(terms.limit, terms.currency) }) : undefined),
    // The page's batch of credit lines reads the new limit.
    invalidates: () => [queryKeys.credit('reseller')],
  });
  return (
    <FormDialog
      trigger={rowButton(<MoneyRegular />, t('credit.set'), t('credit.set.label', { name: reseller.name }))}
      {...form.dialog}
      title={t('credit.set.title', { name: reseller.name })}
      submitLabel={t('credit.set.submit')}
    >
      <Body1 as="p">{t('credit.set.text', { name: reseller.name })}</Body1>
      <div className={styles.pair}>
        <Field label={t('credit.limitField')} required {...form.field('limit')}>
          <Input inputMode="decimal" value={form.values.limit} onChange={(_e, d) => form.set('limit', d.value)} />
        </Field>
        <Field label={t('catalog.currency')} hint={t('catalog.currency.hint')} required {...form.field('currency')}>
          <Input value={form.values.currency} maxLength={3} onChange={(_e, d) => form.set('currency', d.value.toUpperCase())} />
        </Field>
      </div>
      <ProblemBar error={form.error} fields={['limit', 'currency']} />
    </FormDialog>
  );
}
