import { Body1, Button, Field, Input, makeStyles, Textarea, tokens } from '@fluentui/react-components';
import { AddRegular, BoxMultipleRegular, DeleteRegular, EditRegular } from '@fluentui/react-icons';
import type { Product, Sku } from '@tierlink/client';
import { api } from '../api.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FieldGroup } from '../components/forms.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { fromMinor, toMinor } from '../components/money.ts';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Nowrap, RowActions, rowButton, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog, type FieldState } from '../components/useForm.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { useCatalog } from '../queries/commerce.ts';
import { queryKeys } from '../queries/keys.ts';
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
            notice={() => t('catalog.delete.done', { name: product.name })}
            invalidates={[queryKeys.catalog.all]}
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

/** `field` gives a Field's problem by path (a local one first); `path` prefixes this SKU's fields. */
function SkuFields({ draft, onChange, field, path, currencyEditable }: { draft: SkuDraft; onChange(d: SkuDraft): void; field(path: string): FieldState; path: string; currencyEditable: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  const at = (name: string) => field(`${path}${name}`);
  const set = (patch: Partial<SkuDraft>) => onChange({ ...draft, ...patch });
  const pricesProblem = field(`${path}prices`);
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
  const create = useFormDialog({
    initial: () => ({ name: '', description: '', skus: [emptySku] }),
    validate: ({ skus }) => priceProblems(t, skus),
    action: ({ name, description, skus }) =>
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
    notice: (product) => t('catalog.created', { name: product.name }),
    invalidates: () => [queryKeys.catalog.all],
  });
  const { name, description, skus } = create.values;
  const setSkus = (next: SkuDraft[]) => create.set('skus', next);
  const fields = ['name', 'description', ...skus.flatMap((_s, i) => [`skus.${i}`])];
  return (
    <FormDialog
      wide
      trigger={
        <Button appearance="primary" icon={<BoxMultipleRegular />}>
          {t('catalog.create')}
        </Button>
      }
      {...create.dialog}
      title={t('catalog.create')}
      submitLabel={t('catalog.create.submit')}
    >
      <Field label={t('catalog.productName')} required {...create.field('name')}>
        <Input value={name} onChange={(_e, d) => create.set('name', d.value)} />
      </Field>
      <Field label={t('catalog.productDescription')} {...create.field('description')}>
        <Textarea value={description} onChange={(_e, d) => create.set('description', d.value)} />
      </Field>
      {skus.map((draft, i) => (
        <div key={i} className={styles.sku}>
          <FieldGroup legend={t('catalog.skuNumber', { number: i + 1 })}>
            <SkuFields
              draft={draft}
              path={`skus.${i}.`}
              field={create.field}
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
      <ProblemBar error={create.error} fields={fields} />
    </FormDialog>
  );
}

/** A SKU's name, prices and quantity bounds (its currency stays). New prices apply to later orders. */
function EditSku({ sku }: { sku: Sku }) {
  const { t } = useI18n();
  const update = useFormDialog({
    // Each opening starts from the SKU as the catalog shows it.
    restart: 'onOpen',
    initial: (): SkuDraft => ({
      name: sku.name,
      currency: sku.currency,
      monthly: fromMinor(sku.prices.monthly, sku.currency),
      annual: fromMinor(sku.prices.annual, sku.currency),
      minQuantity: String(sku.minQuantity),
      maxQuantity: String(sku.maxQuantity),
    }),
    // One SKU's fields have no `skus.0.` prefix here.
    validate: (draft) => Object.fromEntries(Object.entries(priceProblems(t, [draft])).map(([k, v]) => [k.replace(/^skus\.0\./, ''), v])),
    action: (draft) =>
      api.updateSku({
        id: sku.id,
        body: {
          name: draft.name,
          prices: { monthly: priceOf(draft.monthly, sku.currency), annual: priceOf(draft.annual, sku.currency) },
          minQuantity: whole(draft.minQuantity),
          maxQuantity: whole(draft.maxQuantity),
        },
      }),
    notice: (updated) => t('catalog.edit.done', { name: updated.name }),
    invalidates: () => [queryKeys.catalog.all],
  });
  return (
    <FormDialog
      trigger={rowButton(<EditRegular />, t('catalog.edit'), t('catalog.edit.label', { name: sku.name }))}
      {...update.dialog}
      title={t('catalog.edit.title', { name: sku.name })}
      submitLabel={t('catalog.edit.submit')}
    >
      <Body1 as="p">{t('catalog.edit.text')}</Body1>
      <SkuFields draft={update.values} onChange={update.patch} field={update.field} path="" currencyEditable={false} />
      <ProblemBar error={update.error} fields={['name', 'prices', 'minQuantity', 'maxQuantity']} />
    </FormDialog>
  );
}
