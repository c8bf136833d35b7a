import { Body1, Button, Field, Input, makeStyles, Textarea, tokens } from '@fluentui/react-components';
import { AddRegular, BoxMultipleRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Product, Sku } from '@tierlink/client';
import { useState } from 'react';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FieldGroup } from '../components/forms.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { fromMinor, toMinor } from '../components/money.ts';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { catalogKey, useCatalog } from '../components/subscriptions.tsx';
import { DataTable, Nowrap, RowActions, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { can, useMe } from '../session.ts';

const useStyles = makeStyles({
  pair: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))', gap: tokens.spacingHorizontalM },
  sku: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalS, borderTop: `1px solid ${tokens.colorNeutralStroke2}` },
});

/** Catalog: products and SKUs with prices per billing cycle; the operator creates and changes them. */
export function CatalogPage() {
  const { t } = useI18n();
  const me = useMe();
  const catalog = useCatalog();
  const manage = can(me, 'catalog.manage');
  const products = catalog.data?.items ?? [];
  const create = manage ? <CreateProduct /> : undefined;
  return (
    <>
      <PageHeader title={t('nav.catalog')} description={t(manage ? 'catalog.description.operator' : 'catalog.description')} actions={create} />
      <ProblemBar error={catalog.error} />
      {catalog.isPending ? (
        <Loading />
      ) : products.length === 0 && !catalog.isError ? (
        <EmptyState title={t('catalog.empty')} action={create} />
      ) : (
        products.map((p) => <ProductSection key={p.id} product={p} manage={manage} />)
      )}
    </>
  );
}

function ProductSection({ product, manage }: { product: Product; manage: boolean }) {
  const { t, money, number } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const price = (sku: Sku, minor: number | null) => (minor === null ? <Secondary>{t('catalog.notSold')}</Secondary> : <Nowrap>{money(minor, sku.currency)}</Nowrap>);
  return (
    <Section
      title={product.name}
      actions={
        manage ? (
          <ConfirmDialog
            trigger={<Button icon={<DeleteRegular />}>{t('catalog.delete')}</Button>}
            title={t('catalog.delete.title', { name: product.name })}
            confirmLabel={t('catalog.delete')}
            action={() => api.deleteProduct({ id: product.id })}
            onDone={() => {
              notify(t('catalog.delete.done', { name: product.name }));
              void queryClient.invalidateQueries({ queryKey: catalogKey });
            }}
          >
            <Body1 as="p">{t('catalog.delete.text')}</Body1>
          </ConfirmDialog>
        ) : undefined
      }
    >
      {product.description === '' ? null : <Body1>{product.description}</Body1>}
      <DataTable
        label={t('catalog.skusOf', { name: product.name })}
        columns={[t('column.sku'), t('billingCycle.monthly'), t('billingCycle.annual'), t('column.quantityRange'), ...(manage ? [t('column.actions')] : [])]}
      >
        {product.skus.map((sku) => (
          <TableRow key={sku.id}>
            <TableCell>{sku.name}</TableCell>
            <TableCell>{price(sku, sku.prices.monthly)}</TableCell>
            <TableCell>{price(sku, sku.prices.annual)}</TableCell>
            <TableCell>
              <Nowrap>{t('catalog.range', { min: number(sku.minQuantity), max: number(sku.maxQuantity) })}</Nowrap>
            </TableCell>
            {manage ? (
              <TableCell>
                <RowActions>
                  <EditSku sku={sku} />
                </RowActions>
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </DataTable>
    </Section>
  );
}

interface SkuDraft {
  name: string;
  currency: string;
  monthly: string;
  annual: string;
  minQuantity: string;
  maxQuantity: string;
}

const emptySku: SkuDraft = { name: '', currency: 'USD', monthly: '', annual: '', minQuantity: '1', maxQuantity: '300' };

/** A number field's value; NaN (sent as null) lets the API name the field. */
const whole = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** Amounts that are no amount at all are caught here: NaN would reach the API as "no price". */
function priceProblems(t: Translate, drafts: readonly SkuDraft[]): Record<string, string> {
  const problems: Record<string, string> = {};
  drafts.forEach((d, i) => {
    for (const cycle of ['monthly', 'annual'] as const) {
      if (Number.isNaN(toMinor(d[cycle], d.currency))) problems[`skus.${i}.prices.${cycle}`] = t('catalog.price.invalid');
    }
  });
  return problems;
}

function SkuFields({ draft, onChange, error, path, local, currencyEditable }: { draft: SkuDraft; onChange(d: SkuDraft): void; error: unknown; path: string; local: Record<string, string>; currencyEditable: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  const at = (field: string) => {
    const message = local[`${path}${field}`];
    return message === undefined ? fieldProps(t, error, `${path}${field}`) : { validationMessage: message, validationState: 'error' as const };
  };
  const set = (patch: Partial<SkuDraft>) => onChange({ ...draft, ...patch });
  const pricesProblem = fieldProps(t, error, `${path}prices`);
  return (
    <>
      <Field label={t('catalog.skuName')} required {...at('name')}>
        <Input value={draft.name} onChange={(_e, d) => set({ name: d.value })} />
      </Field>
      <div className={styles.pair}>
        {currencyEditable ? (
          <Field label={t('catalog.currency')} hint={t('catalog.currency.hint')} required {...at('currency')}>
            <Input value={draft.currency} maxLength={3} onChange={(_e, d) => set({ currency: d.value.toUpperCase() })} />
          </Field>
        ) : null}
        <Field label={t('catalog.monthlyPrice', { currency: draft.currency })} hint={t('catalog.price.hint')} {...at('prices.monthly')}>
          <Input inputMode="decimal" value={draft.monthly} onChange={(_e, d) => set({ monthly: d.value })} />
        </Field>
        <Field label={t('catalog.annualPrice', { currency: draft.currency })} hint={t('catalog.price.hint')} {...at('prices.annual')}>
          <Input inputMode="decimal" value={draft.annual} onChange={(_e, d) => set({ annual: d.value })} />
        </Field>
      </div>
      {pricesProblem.validationMessage === undefined ? null : <Body1 role="alert">{pricesProblem.validationMessage}</Body1>}
      <div className={styles.pair}>
        <Field label={t('catalog.minQuantity')} required {...at('minQuantity')}>
          <Input type="number" min={1} value={draft.minQuantity} onChange={(_e, d) => set({ minQuantity: d.value })} />
        </Field>
        <Field label={t('catalog.maxQuantity')} required {...at('maxQuantity')}>
          <Input type="number" min={1} value={draft.maxQuantity} onChange={(_e, d) => set({ maxQuantity: d.value })} />
        </Field>
      </div>
    </>
  );
}

const priceOf = (text: string, currency: string): number | null => toMinor(text, currency) ?? null;

function CreateProduct() {
  const styles = useStyles();
  const { t } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [skus, setSkus] = useState<SkuDraft[]>([emptySku]);
  const [local, setLocal] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: () =>
      api.createProduct({
        body: {
          name,
          description,
          skus: skus.map((d) => ({
            name: d.name,
            currency: d.currency,
            prices: { monthly: priceOf(d.monthly, d.currency), annual: priceOf(d.annual, d.currency) },
            minQuantity: whole(d.minQuantity),
            maxQuantity: whole(d.maxQuantity),
          })),
        },
      }),
    onSuccess: (product) => {
      setOpen(false);
      notify(t('catalog.created', { name: product.name }));
      void queryClient.invalidateQueries({ queryKey: catalogKey });
    },
  });
  const e = create.error;
  const fields = ['name', 'description', ...skus.flatMap((_s, i) => [`skus.${i}`])];
  return (
    <FormDialog
      wide
      trigger={
        <Button appearance="primary" icon={<BoxMultipleRegular />}>
          {t('catalog.create')}
        </Button>
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          create.reset();
          setName('');
          setDescription('');
          setSkus([emptySku]);
          setLocal({});
        }
      }}
      title={t('catalog.create')}
      submitLabel={t('catalog.create.submit')}
      busy={create.isPending}
      onSubmit={() => {
        const problems = priceProblems(t, skus);
        setLocal(problems);
        if (Object.keys(problems).length === 0) create.mutate();
      }}
    >
      <Field label={t('catalog.productName')} required {...fieldProps(t, e, 'name')}>
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Field label={t('catalog.productDescription')} {...fieldProps(t, e, 'description')}>
        <Textarea value={description} onChange={(_e, d) => setDescription(d.value)} />
      </Field>
      {skus.map((draft, i) => (
        <div key={i} className={styles.sku}>
          <FieldGroup legend={t('catalog.skuNumber', { number: i + 1 })}>
            <SkuFields
              draft={draft}
              path={`skus.${i}.`}
              error={e}
              local={local}
              currencyEditable
              onChange={(d) => setSkus(skus.map((s, j) => (j === i ? d : s)))}
            />
            {skus.length > 1 ? (
              <span>
                <Button size="small" icon={<DeleteRegular />} onClick={() => setSkus(skus.filter((_s, j) => j !== i))}>
                  {t('catalog.removeSku', { number: i + 1 })}
                </Button>
              </span>
            ) : null}
          </FieldGroup>
        </div>
      ))}
      <span>
        <Button icon={<AddRegular />} onClick={() => setSkus([...skus, { ...emptySku, currency: skus[skus.length - 1]?.currency ?? 'USD' }])}>
          {t('catalog.addSku')}
        </Button>
      </span>
      <ProblemBar error={e} fields={fields} />
    </FormDialog>
  );
}

/** A SKU's name, prices and quantity bounds (its currency stays). New prices apply to later orders. */
function EditSku({ sku }: { sku: Sku }) {
  const { t } = useI18n();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const initial = (): SkuDraft => ({
    name: sku.name,
    currency: sku.currency,
    monthly: fromMinor(sku.prices.monthly, sku.currency),
    annual: fromMinor(sku.prices.annual, sku.currency),
    minQuantity: String(sku.minQuantity),
    maxQuantity: String(sku.maxQuantity),
  });
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<SkuDraft>(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  const update = useMutation({
    mutationFn: () =>
      api.updateSku({
        id: sku.id,
        body: {
          name: draft.name,
          prices: { monthly: priceOf(draft.monthly, sku.currency), annual: priceOf(draft.annual, sku.currency) },
          minQuantity: whole(draft.minQuantity),
          maxQuantity: whole(draft.maxQuantity),
        },
      }),
    onSuccess: (updated) => {
      setOpen(false);
      notify(t('catalog.edit.done', { name: updated.name }));
      void queryClient.invalidateQueries({ queryKey: catalogKey });
    },
  });
  return (
    <FormDialog
      trigger={
        <Button size="small" appearance="subtle" icon={<EditRegular />} aria-label={t('catalog.edit.label', { name: sku.name })}>
          {t('catalog.edit')}
        </Button>
      }
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setDraft(initial());
          setLocal({});
          update.reset();
        }
      }}
      title={t('catalog.edit.title', { name: sku.name })}
      submitLabel={t('catalog.edit.submit')}
      busy={update.isPending}
      onSubmit={() => {
        const problems = priceProblems(t, [draft]);
        const mine = Object.fromEntries(Object.entries(problems).map(([k, v]) => [k.replace(/^skus\.0\./, ''), v]));
        setLocal(mine);
        if (Object.keys(mine).length === 0) update.mutate();
      }}
    >
      <Body1 as="p">{t('catalog.edit.text')}</Body1>
      <SkuFields draft={draft} onChange={setDraft} error={update.error} path="" local={local} currencyEditable={false} />
      <ProblemBar error={update.error} fields={['name', 'prices', 'minQuantity', 'maxQuantity']} />
    </FormDialog>
  );
}
