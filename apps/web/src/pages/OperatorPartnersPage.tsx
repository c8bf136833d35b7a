import {
  Badge,
  Body1,
  Button,
  Field,
  Input,
  makeStyles,
  Radio,
  RadioGroup,
  SearchBox,
  Select,
  tokens,
} from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import { OnboardPartnerBody, type OperatorPartnerSort, type Program } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/FormDialog.tsx';
import { CountrySelect } from '../components/CountrySelect.tsx';
import { FieldGroup } from '../components/forms.tsx';
import { CountLine, defaultPageSize, DownloadCsv, PageSizeSelect, searchOf, useListSort } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { DataTable, Secondary, TableCell, TableRow, Nowrap } from '../components/table.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useFormDialog } from '../components/useForm.ts';
import { browserCountry } from '../i18n/countries.ts';
import { useI18n } from '../i18n/index.tsx';
import { queryKeys } from '../queries/keys.ts';
import { operatorPartnerQuery, useOperatorPartners } from '../queries/operator.ts';

const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, marginBottom: tokens.spacingVerticalM },
  filter: { minWidth: '240px' },
});

/** Operator console: partner profiles, and onboarding an approved partner directly. */
export function OperatorPartnersPage() {
  const styles = useStyles();
  const { t, date } = useI18n();
  const [search, setSearch] = useState('');
  const [program, setProgram] = useState<Program | ''>('');
  const name = useDebounced(search.trim(), 300);
  const [limit, setLimit] = useState(defaultPageSize);
  // Names start A→Z, creation newest first.
  const { sort, column } = useListSort<OperatorPartnerSort>({ by: 'name', order: 'asc' }, (by) => (by === 'created' ? 'desc' : 'asc'));
  const view = { name, program, sort: sort.by, order: sort.order, limit };
  const { query, items, pager, count } = useOperatorPartners(view);
  return (
    <>
      <PageHeader
        title={t('nav.operatorPartners')}
        description={t('operator.partners.description')}
        actions={
          <>
            <OnboardPartner />
            <DownloadCsv href={`/api/v1/operator/partners/export${searchOf(operatorPartnerQuery(view))}`} filename="partners.csv" title={t('operator.partners.export.label')} />
          </>
        }
      />
      <div className={styles.filters} role="group" aria-label={t('list.filters')}>
        <Field label={t('operator.partners.search')} className={styles.filter}>
          <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} />
        </Field>
        <Field label={t('operator.partners.program')} className={styles.filter}>
          <Select value={program} onChange={(_e, d) => setProgram(d.value === 'indirect_provider' || d.value === 'indirect_reseller' ? d.value : '')}>
            <option value="">{t('operator.partners.allPrograms')}</option>
            <option value="indirect_provider">{t('program.indirect_provider')}</option>
            <option value="indirect_reseller">{t('program.indirect_reseller')}</option>
          </Select>
        </Field>
        <PageSizeSelect value={limit} onChange={setLimit} />
      </div>
      <ProblemBar error={query.error} />
      {query.isPending ? (
        <Loading />
      ) : items.length === 0 && !query.isError ? (
        <EmptyState title={t('operator.partners.empty.title')}>{t('operator.partners.empty.text')}</EmptyState>
      ) : (
        <>
          <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="operator.partners.count" more="operator.partners.countMore" />
          <DataTable
            label={t('nav.operatorPartners')}
            columns={[column(t('column.partner'), 'name'), t('column.program'), t('column.state'), t('column.membershipId'), column(t('column.created'), 'created')]}
          >
          {items.map((p) => (
            <TableRow key={p.id}>
              <TableCell>{p.organizationName}</TableCell>
              <TableCell>{t(`program.${p.program}`)}</TableCell>
              <TableCell>
                <Badge appearance="tint" shape="rounded" color={p.state === 'approved' ? 'success' : p.state === 'rejected' ? 'danger' : 'warning'}>
                  {t(`enrollmentState.${p.state}`)}
                </Badge>
              </TableCell>
              <TableCell>{p.membershipId ?? <Secondary>—</Secondary>}</TableCell>
              <TableCell>
                <Nowrap>{date(p.createdAt)}</Nowrap>
              </TableCell>
            </TableRow>
          ))}
          </DataTable>
        </>
      )}
      <Pager {...pager} />
    </>
  );
}

const onboardFields = ['organization.name', 'organization.domain', 'organization.country', 'program', 'admin.displayName', 'admin.email', 'admin.password'];

/** The onboarding request from the dialog's flat values. */
function onboardBody(form: { name: string; domain: string; country: string; program: Program; displayName: string; email: string; password: string }) {
  return {
    organization: { name: form.name, domain: form.domain, country: form.country },
    program: form.program,
    admin: { displayName: form.displayName, email: form.email, password: form.password },
  };
}

function OnboardPartner() {
  const { t } = useI18n();
  const onboard = useFormDialog({
    initial: () => ({ name: '', domain: '', country: browserCountry(), program: 'indirect_reseller' as Program, displayName: '', email: '', password: '' }),
    // A cancelled draft is kept; an onboarded partner's is not.
    restart: 'onDone',
    schema: OnboardPartnerBody,
    body: onboardBody,
    action: (form) => api.onboardPartner({ body: onboardBody(form) }),
    notice: (done) => t('operator.onboard.done', { name: done.organization.name, email: done.user.email }),
    invalidates: () => [queryKeys.operator.partners.all],
  });
  const form = onboard.values;
  const set = onboard.set;
  const at = onboard.field;
  return (
    <FormDialog
      trigger={
        <Button appearance="primary" icon={<PersonAddRegular />}>
          {t('operator.onboard')}
        </Button>
      }
      {...onboard.dialog}
      title={t('operator.onboard')}
      submitLabel={t('operator.onboard.submit')}
    >
      <Body1 as="p">{t('operator.onboard.text')}</Body1>
      <FieldGroup legend={t('signUp.organization')}>
        <Field label={t('field.organizationName')} required {...at('organization.name')}>
          <Input value={form.name} onChange={(_e, d) => set('name', d.value)} />
        </Field>
        <Field label={t('field.domain')} required {...at('organization.domain')}>
          <Input value={form.domain} onChange={(_e, d) => set('domain', d.value)} />
        </Field>
        <Field label={t('field.country')} required {...at('organization.country')}>
          <CountrySelect value={form.country} onChange={(country) => set('country', country)} />
        </Field>
        <Field label={t('operator.partners.program')} required {...at('program')}>
          <RadioGroup value={form.program} onChange={(_e, d) => set('program', d.value === 'indirect_provider' ? 'indirect_provider' : 'indirect_reseller')}>
            <Radio value="indirect_reseller" label={t('program.indirect_reseller')} />
            <Radio value="indirect_provider" label={t('program.indirect_provider')} />
          </RadioGroup>
        </Field>
      </FieldGroup>
      <FieldGroup legend={t('operator.onboard.admin')}>
        <Field label={t('field.fullName')} required {...at('admin.displayName')}>
          <Input value={form.displayName} onChange={(_e, d) => set('displayName', d.value)} />
        </Field>
        <Field label={t('field.email')} required {...at('admin.email')}>
          <Input type="email" value={form.email} onChange={(_e, d) => set('email', d.value)} />
        </Field>
        <Field label={t('field.password')} hint={t('field.password.hint')} required {...at('admin.password')}>
          <Input type="password" autoComplete="new-password" value={form.password} onChange={(_e, d) => set('password', d.value)} />
        </Field>
      </FieldGroup>
      <ProblemBar error={onboard.error} fields={onboardFields} />
    </FormDialog>
  );
}
