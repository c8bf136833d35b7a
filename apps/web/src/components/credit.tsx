import { Body1, Button, Caption1, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { MoneyRegular } from '@fluentui/react-icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreditTerms } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { FormDialog } from './FormDialog.tsx';
import { fromMinor, toMinor } from './money.ts';
import { useNotify } from './notify.tsx';
import { errorText, fieldProps, ProblemBar } from './problems.tsx';
import { Secondary } from './table.tsx';

const useStyles = makeStyles({
  summary: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, whiteSpace: 'nowrap' },
  pair: { display: 'grid', gridTemplateColumns: '2fr 1fr', gap: tokens.spacingHorizontalM },
});

/** Whose credit line: a provider reads its reseller's, a reseller its provider's. */
export type CreditSide = 'reseller' | 'provider';

const creditKey = (side: CreditSide, id: string) => ['credit', side, id] as const;

export function useCredit(side: CreditSide, id: string, enabled: boolean) {
  return useQuery({
    queryKey: creditKey(side, id),
    queryFn: ({ signal }) => (side === 'reseller' ? api.getResellerCredit({ id, signal }) : api.getProviderCredit({ id, signal })),
    enabled,
  });
}

/** "Limit $50,000.00 · Used this month (UTC calendar month): $1,200.00 · Available: $48,800.00", or "No credit terms". */
export function CreditSummary({ side, id }: { side: CreditSide; id: string }) {
  const styles = useStyles();
  const { t, money } = useI18n();
  const credit = useCredit(side, id, true);
  if (credit.isPending) return <Secondary>{t('common.loading')}</Secondary>;
  if (credit.isError) return <Secondary>{errorText(t, credit.error)}</Secondary>;
  const c: CreditTerms = credit.data;
  if (c.limit === null || c.currency === null) return <Secondary>{t('credit.none')}</Secondary>;
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
  const notify = useNotify();
  const queryClient = useQueryClient();
  const credit = useCredit('reseller', reseller.id, true);
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [invalid, setInvalid] = useState(false);
  const save = useMutation({
    mutationFn: (minor: number) => api.setResellerCredit({ id: reseller.id, body: { limit: minor, currency } }),
    onSuccess: (terms) => {
      setOpen(false);
      queryClient.setQueryData(creditKey('reseller', reseller.id), terms);
      if (terms.limit !== null && terms.currency !== null) notify(t('credit.set.done', { name: reseller.name, amount: money(terms.limit, terms.currency) }));
    },
  });
  return (
    <FormDialog
      trigger={
        <Button size="small" appearance="subtle" icon={<MoneyRegular />} aria-label={t('credit.set.label', { name: reseller.name })}>
          {t('credit.set')}
        </Button>
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          const c = credit.data;
          const cur = c?.currency ?? 'USD';
          setCurrency(cur);
          setLimit(c === undefined || c.limit === null ? '' : fromMinor(c.limit, cur));
          setInvalid(false);
          save.reset();
        }
      }}
      title={t('credit.set.title', { name: reseller.name })}
      submitLabel={t('credit.set.submit')}
      busy={save.isPending}
      onSubmit={() => {
        const minor = toMinor(limit, currency);
        setInvalid(minor === undefined || Number.isNaN(minor));
        if (minor !== undefined && !Number.isNaN(minor)) save.mutate(minor);
      }}
    >
      <Body1 as="p">{t('credit.set.text', { name: reseller.name })}</Body1>
      <div className={styles.pair}>
        <Field
          label={t('credit.limitField')}
          required
          {...(invalid ? { validationMessage: t('catalog.price.invalid'), validationState: 'error' as const } : fieldProps(t, save.error, 'limit'))}
        >
          <Input inputMode="decimal" value={limit} onChange={(_e, d) => setLimit(d.value)} />
        </Field>
        <Field label={t('catalog.currency')} hint={t('catalog.currency.hint')} required {...fieldProps(t, save.error, 'currency')}>
          <Input value={currency} maxLength={3} onChange={(_e, d) => setCurrency(d.value.toUpperCase())} />
        </Field>
      </div>
      <ProblemBar error={save.error} fields={['limit', 'currency']} />
    </FormDialog>
  );
}
