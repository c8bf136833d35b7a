import { Body1, Body1Strong, Button, Checkbox, Field, Input } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useNavigate } from '@tanstack/react-router';
import type { DelegatedAdminPendingRequest, DelegatedAdminRelationship } from '@tierlink/client';
import {
  CreateDelegatedAdminRelationshipBody,
  managesAdmins,
  maxRelationshipDays,
  minRelationshipDays,
  relationshipStates,
  type DelegatedRole,
  type RelationshipState,
} from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { AmendmentDecision, AmendmentDelta } from '../components/amendments.tsx';
import { CustomerPicker } from '../components/CustomerPicker.tsx';
import { FormDialog } from '../components/FormDialog.tsx';
import { RouterLink } from '../components/links.tsx';
import { CountLine, defaultPageSize, ListControls, PageSizeSelect } from '../components/lists.tsx';
import { EmptyState, Loading, PageHeader, Pager, Section } from '../components/page.tsx';
import { PartnerSelect } from '../components/PartnerSelect.tsx';
import { fieldMessage, ProblemBar } from '../components/problems.tsx';
import { DelegatedRolePicker, durationText, RelationshipLink, RelationshipStateBadge, relationshipEnd, relationshipName } from '../components/relationships.tsx';
import { DelegatedRoles } from '../components/grants.tsx';
import { StateFilter } from '../components/StateFilter.tsx';
import { DataTable, Nowrap, Secondary, TableCell, TableRow } from '../components/table.tsx';
import { useFormDialog } from '../components/useForm.ts';
import { useI18n } from '../i18n/index.tsx';
import { usePendingRequests, useRelationships } from '../queries/delegatedAdmin.ts';
import { queryKeys } from '../queries/keys.ts';
import { useIndirectPartnerNames } from '../queries/partners.ts';
import { can, hasProgram, useMe } from '../session.ts';

/**
 * Delegated admin: what waits for the caller's organization (approvals, amendments, consents), and
 * every relationship it is party to, filtered by state and paged by the server; partners draft new
 * ones here. Each row leads to the relationship's page, where it is sent, decided, amended or ended.
 */
export function DelegatedAdminPage() {
  const { t } = useI18n();
  const me = useMe();
  const [state, setState] = useState<RelationshipState | ''>('');
  const [limit, setLimit] = useState<number>(defaultPageSize);
  const { query, items, pager, count } = useRelationships({ state, limit });
  const mayCreate = me.organization.kind === 'partner' && can(me, 'delegated_admin.manage');
  return (
    <>
      <PageHeader
        title={t('nav.delegatedAdmin')}
        description={me.organization.kind === 'partner' ? t('dar.description.partner') : t('dar.description.customer')}
        actions={mayCreate ? <CreateRelationship /> : undefined}
      />
      <PendingRequests />
      <Section title={t('dar.relationships')}>
        <ListControls label={t('list.filters')}>
          <StateFilter label={t('dar.filter')} allLabel={t('dar.all')} states={relationshipStates} value={state} labelOf={(s) => t(`relationshipStatus.${s}`)} onChange={setState} />
          <PageSizeSelect value={limit} onChange={setLimit} />
        </ListControls>
        <ProblemBar error={query.error} />
        {query.isPending ? (
          <Loading />
        ) : items.length === 0 && !query.isError ? (
          <EmptyState title={state === '' ? t('dar.empty.title') : t('dar.empty.state', { state: t(`relationshipStatus.${state}`) })}>
            {mayCreate ? t('dar.empty.partner') : t('dar.empty.customer')}
          </EmptyState>
        ) : (
          <>
            <CountLine count={count} page={pager.page} pageSize={limit} shown={items.length} exact="dar.count" more="dar.countMore" />
            <DataTable
              label={t('dar.relationships')}
              columns={[t('column.name'), t('column.state'), t('column.partner'), t('column.customer'), t('column.roles'), t('dar.column.end'), t('dar.column.amendment')]}
            >
              {items.map((r) => (
                <RelationshipRow key={r.id} relationship={r} />
              ))}
            </DataTable>
          </>
        )}
        <Pager {...pager} />
      </Section>
    </>
  );
}

function RelationshipRow({ relationship: r }: { relationship: DelegatedAdminRelationship }) {
  const { t, date } = useI18n();
  return (
    <TableRow>
      <TableCell>
        <RelationshipLink relationship={r} />
      </TableCell>
      <TableCell>
        <RelationshipStateBadge state={r.state} />
      </TableCell>
      <TableCell>
        {r.partner.name}
        {r.reseller === null ? null : (
          <>
            <br />
            <Secondary>{t('dar.viaReseller', { name: r.reseller.name })}</Secondary>
          </>
        )}
      </TableCell>
      <TableCell>{r.customer.name}</TableCell>
      <TableCell>
        <DelegatedRoles roles={r.roles} />
      </TableCell>
      <TableCell>
        <Nowrap>{relationshipEnd(r, t, date)}</Nowrap>
        {r.autoExtendDuration === 'P0D' ? null : (
          <>
            <br />
            <Secondary>{t('dar.autoExtends')}</Secondary>
          </>
        )}
      </TableCell>
      <TableCell>{r.pendingAmendment === null ? <Secondary>—</Secondary> : t('dar.amendment.waiting')}</TableCell>
    </TableRow>
  );
}

/** Requests waiting for the caller's organization; amendments show before → after and can be decided here. */
function PendingRequests() {
  const { t } = useI18n();
  const me = useMe();
  const requests = usePendingRequests();
  const items = requests.data?.items ?? [];
  if (requests.isPending) return null;
  return (
    <Section title={t('dar.requests')}>
      <ProblemBar error={requests.error} />
      {items.length === 0 ? (
        <Body1 as="p">{t('dar.requests.none')}</Body1>
      ) : (
        <DataTable label={t('dar.requests')} columns={[t('dar.column.request'), t('column.partner'), t('dar.column.asks'), t('column.actions')]}>
          {items.map((item) => (
            <RequestRow key={`${item.kind}-${item.relationship.id}`} item={item} mayDecide={can(me, 'delegated_admin.approve')} />
          ))}
        </DataTable>
      )}
    </Section>
  );
}

function RequestRow({ item, mayDecide }: { item: DelegatedAdminPendingRequest; mayDecide: boolean }) {
  const { t } = useI18n();
  const r = item.relationship;
  const amendment = item.kind === 'amendment' ? r.pendingAmendment : null;
  return (
    <TableRow>
      <TableCell>
        <Body1Strong block>{t(`dar.requestKind.${item.kind}`)}</Body1Strong>
        <RelationshipLink relationship={r} />
      </TableCell>
      <TableCell>
        {r.partner.name}
        {item.kind === 'consent' ? (
          <>
            <br />
            <Secondary>{t('dar.forCustomer', { name: r.customer.name })}</Secondary>
          </>
        ) : null}
      </TableCell>
      <TableCell>
        {amendment === null ? (
          <>
            <DelegatedRoles roles={r.roles} /> <Secondary>{durationText(t, r.duration)}</Secondary>
          </>
        ) : (
          <AmendmentDelta relationship={r} amendment={amendment} />
        )}
      </TableCell>
      <TableCell>
        {amendment !== null && mayDecide ? (
          <AmendmentDecision relationship={r} amendment={amendment} />
        ) : (
          <RouterLink to="/delegated-admin/$id" params={{ id: r.id }}>
            {t('dar.open')}
          </RouterLink>
        )}
      </TableCell>
    </TableRow>
  );
}

interface Draft {
  displayName: string;
  customerId: string;
  roles: DelegatedRole[];
  days: string;
  autoExtend: boolean;
  resellerId: string;
}

/** The body the API takes: the duration in ISO 8601 days, auto-extend as P180D or P0D. */
export function draftBody(d: Draft) {
  return {
    displayName: d.displayName,
    customerId: d.customerId,
    roles: d.roles,
    duration: `P${d.days.trim()}D`,
    autoExtendDuration: d.autoExtend ? ('P180D' as const) : ('P0D' as const),
    resellerId: d.resellerId === '' ? undefined : d.resellerId,
  };
}

/** Draft a relationship (state created); its page then sends it for approval. */
function CreateRelationship() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const isProvider = hasProgram(me, 'indirect_provider');
  const resellers = useIndirectPartnerNames('reseller', isProvider);
  const form = useFormDialog<Draft, DelegatedAdminRelationship>({
    initial: () => ({ displayName: '', customerId: '', roles: [], days: '90', autoExtend: false, resellerId: '' }),
    schema: CreateDelegatedAdminRelationshipBody,
    body: draftBody,
    action: (d) => api.createDelegatedAdminRelationship({ body: draftBody(d) }),
    notice: (r) => t('dar.created', { name: relationshipName(r, t) }),
    invalidates: () => [queryKeys.delegatedAdmin.all],
    onDone: (r) => navigate({ to: '/delegated-admin/$id', params: { id: r.id } }),
  });
  const v = form.values;
  return (
    <FormDialog
      {...form.dialog}
      wide
      trigger={
        <Button appearance="primary" icon={<AddRegular />}>
          {t('dar.create')}
        </Button>
      }
      title={t('dar.create.title')}
      submitLabel={t('dar.create.submit')}
    >
      <Body1 as="p">{t('dar.create.text')}</Body1>
      <ProblemBar error={form.error} fields={['displayName', 'customerId', 'roles', 'duration', 'autoExtendDuration', 'resellerId']} />
      <Field label={t('column.name')} hint={t('dar.name.hint')} required {...form.field('displayName')}>
        <Input value={v.displayName} maxLength={50} onChange={(_e, d) => form.set('displayName', d.value)} />
      </Field>
      <CustomerPicker label={t('column.customer')} hint={t('dar.customer.hint')} value={v.customerId} onChange={(id) => form.set('customerId', id)} validation={form.field('customerId')} />
      <RelationshipTermsFields form={form} />
      {isProvider ? (
        <PartnerSelect
          label={t('dar.reseller')}
          hint={t('dar.reseller.hint')}
          field="resellerId"
          error={form.error}
          value={v.resellerId}
          onChange={(id) => form.set('resellerId', id)}
          partners={resellers.data?.items ?? []}
          none={t('dar.reseller.none')}
        />
      ) : null}
    </FormDialog>
  );
}

interface TermsForm {
  values: { roles: DelegatedRole[]; days: string; autoExtend: boolean };
  patch(values: Partial<{ roles: DelegatedRole[]; days: string; autoExtend: boolean }>): void;
  field(path: string): { validationMessage?: string; validationState?: 'error' };
  error: unknown;
}

/**
 * Roles (with what each allows), duration in days and auto-extend; auto-extend is off and disabled
 * while a role manages the customer's admins (the server refuses it too: auto_extend_not_allowed).
 */
export function RelationshipTermsFields({ form, autoExtend = true }: { form: TermsForm; autoExtend?: boolean }) {
  const { t } = useI18n();
  const v = form.values;
  const blocked = managesAdmins(v.roles);
  const rolesProblem = form.field('roles').validationMessage ?? fieldMessage(t, form.error, 'roles');
  return (
    <>
      <DelegatedRolePicker
        value={v.roles}
        problem={rolesProblem}
        onChange={(roles) => form.patch(managesAdmins(roles) ? { roles, autoExtend: false } : { roles })}
      />
      <Field label={t('dar.daysField')} hint={t('dar.days.hint', { min: minRelationshipDays, max: maxRelationshipDays })} required {...form.field('duration')}>
        <Input type="number" min={minRelationshipDays} max={maxRelationshipDays} value={v.days} onChange={(_e, d) => form.patch({ days: d.value })} />
      </Field>
      {autoExtend ? (
        <Field hint={blocked ? t('dar.autoExtend.blocked') : t('dar.autoExtend.hint')} {...form.field('autoExtendDuration')}>
          <Checkbox checked={v.autoExtend && !blocked} disabled={blocked} label={t('dar.autoExtend')} onChange={(_e, d) => form.patch({ autoExtend: d.checked === true })} />
        </Field>
      ) : null}
    </>
  );
}
