import { Body1, Button, Checkbox, Field, makeStyles, Select, TableCell, TableRow, Textarea, tokens } from '@fluentui/react-components';
import { PlugDisconnectedRegular } from '@fluentui/react-icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { isApiError, type OffboardingPlan } from '@tierlink/client';
import type { OffboardingAction } from '@tierlink/contract';
import { useState } from 'react';
import { api } from '../api.ts';
import { DelegatedRoles } from '../components/grants.tsx';
import { RouterLink } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { EmptyState, Loading, PageHeader, Section } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { DataTable } from '../components/table.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';

const route = getRouteApi('/app/offboarding/$kind/$id');

/** Whom the caller ends: its reseller, its provider, or a customer (the path's `kind`). */
export type OffboardingKind = 'indirect-resellers' | 'indirect-providers' | 'customers';

const calls = {
  'indirect-resellers': { plan: api.getResellerOffboardingPlan, offboard: api.offboardReseller, back: '/indirect-resellers' },
  'indirect-providers': { plan: api.getProviderOffboardingPlan, offboard: api.offboardProvider, back: '/indirect-providers' },
  customers: { plan: api.getCustomerOffboardingPlan, offboard: api.offboardCustomer, back: '/customers' },
} as const;

const isKind = (kind: string): kind is OffboardingKind => kind in calls;

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/**
 * The offboarding preview and confirm: everything ending the relationship leaves behind, an action
 * per item (the plan's default preselected), the attestation and the notices. Confirming sends the
 * plan's ETag; if anything changed meanwhile the server refuses (412) and the page reloads the plan.
 */
export function OffboardingPage() {
  const { t } = useI18n();
  const { kind, id } = route.useParams();
  const known = isKind(kind);
  const plan = useQuery({
    queryKey: ['offboarding-plan', kind, id],
    queryFn: () => (isKind(kind) ? calls[kind].plan({ id }) : Promise.reject(new Error('unknown kind'))),
    enabled: known,
  });
  if (!known) return <EmptyState title={t('offboarding.notFound')} />;
  if (plan.isPending) return <Loading />;
  if (plan.isError) {
    const gone = isApiError(plan.error) && plan.error.status === 404;
    return (
      <>
        <PageHeader title={t('offboarding.title.unknown')} />
        {gone ? <EmptyState title={t('offboarding.notFound')} action={<RouterLink to={calls[kind].back}>{t('offboarding.back')}</RouterLink>} /> : <ProblemBar error={plan.error} />}
      </>
    );
  }
  return <PlanForm kind={kind} id={id} plan={plan.data} />;
}

function PlanForm({ kind, id, plan }: { kind: OffboardingKind; id: string; plan: OffboardingPlan }) {
  const styles = useStyles();
  const { t } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const [chosen, setChosen] = useState<Record<string, OffboardingAction>>({});
  const [attest, setAttest] = useState(false);
  const [reason, setReason] = useState('');
  const [notifyOther, setNotifyOther] = useState(false);
  const [notifyCustomers, setNotifyCustomers] = useState(false);
  const name = plan.subject.organization.name;
  const offboard = useMutation({
    mutationFn: () =>
      calls[kind].offboard({
        id,
        headers: { 'if-match': plan.etag },
        body: { actions: chosen, attestation: { attest, reason }, notices: { otherParty: notifyOther, customers: notifyCustomers } },
      }),
    onSuccess: async () => {
      notify(t('offboarding.done', { name }));
      await invalidate(queryKeys.customers.all, queryKeys.partners('provider').all, queryKeys.partners('reseller').all);
      await navigate({ to: calls[kind].back });
    },
    onError: async (error) => {
      // A stale plan: show the new one (the choices made for items still in it stay).
      if (isApiError(error) && error.code === 'offboarding_plan_stale') await queryClient.invalidateQueries({ queryKey: ['offboarding-plan', kind, id] });
    },
  });
  const actionOf = (itemId: string, fallback: OffboardingAction) => chosen[itemId] ?? fallback;
  return (
    <>
      <PageHeader
        title={t(kind === 'customers' ? 'offboarding.title.customer' : 'offboarding.title.partner', { name })}
        description={t('offboarding.description')}
        actions={<RouterLink to={calls[kind].back}>{t('offboarding.back')}</RouterLink>}
      />
      <Section title={t('offboarding.items')}>
        <DataTable label={t('offboarding.items')} columns={[t('offboarding.column.item'), t('offboarding.column.kind'), t('offboarding.column.action')]}>
          {plan.items.map((item) => (
            <TableRow key={item.id}>
              <TableCell>
                <Body1>{item.label}</Body1>
                {item.roles.length > 0 ? (
                  <div>
                    <DelegatedRoles roles={item.roles} />
                  </div>
                ) : null}
              </TableCell>
              <TableCell>{t(`offboarding.kind.${item.kind}`)}</TableCell>
              <TableCell>
                <Select
                  aria-label={t('offboarding.actionFor', { item: item.label })}
                  value={actionOf(item.id, item.default)}
                  disabled={item.actions.length === 1}
                  onChange={(_e, d) => {
                    const action = item.actions.find((a) => a === d.value);
                    if (action !== undefined) setChosen((c) => ({ ...c, [item.id]: action }));
                  }}
                >
                  {item.actions.map((a) => (
                    <option key={a} value={a}>
                      {t(`offboarding.action.${a}`)}
                    </option>
                  ))}
                </Select>
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      </Section>
      <Section title={t('offboarding.confirm')}>
        <form
          className={styles.form}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            offboard.mutate();
          }}
        >
          <ProblemBar error={offboard.error} fields={['attestation.attest', 'attestation.reason']} />
          <Checkbox checked={attest} onChange={(_e, d) => setAttest(d.checked === true)} label={t('offboarding.attest')} />
          <Field label={t('offboarding.reason')} required {...fieldProps(t, offboard.error, 'attestation.reason')}>
            <Textarea value={reason} maxLength={500} onChange={(_e, d) => setReason(d.value)} />
          </Field>
          <Checkbox checked={notifyOther} onChange={(_e, d) => setNotifyOther(d.checked === true)} label={t('offboarding.notifyOther', { name })} />
          {kind === 'customers' ? null : (
            <Checkbox checked={notifyCustomers} onChange={(_e, d) => setNotifyCustomers(d.checked === true)} label={t('offboarding.notifyCustomers')} />
          )}
          <div className={styles.actions}>
            <Button type="submit" appearance="primary" icon={<PlugDisconnectedRegular />} disabled={!attest || reason.trim() === '' || offboard.isPending}>
              {t('offboarding.submit')}
            </Button>
          </div>
        </form>
      </Section>
    </>
  );
}
