import { Body1, Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { isApiError } from '@tierlink/client';
import { RegisterMembershipBody } from '@tierlink/contract';
import { api } from '../api.ts';
import { CountrySelect } from '../components/CountrySelect.tsx';
import { CsvImport } from '../components/CsvImport.tsx';
import { FieldGroup, Form, FormActions } from '../components/forms.tsx';
import { PageHeader, Section } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useForm, type FieldState } from '../components/useForm.ts';
import { browserCountry } from '../i18n/countries.ts';
import { countryName, useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';

const header = 'membership_id,legal_name,country,account_email,account_password';
const fields = ['membershipId', 'legalName', 'country', 'accountEmail', 'accountPassword'];
const useStyles = makeStyles({ list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL } });

/** A 409 `conflict` at these fields says what is taken, not that someone changed something meanwhile. */
const conflicts: Partial<Record<string, MessageKey>> = {
  membershipId: 'memberships.idTaken',
  accountPassword: 'memberships.otherPassword',
};

/** A 409 at the membership id or password gets its own sentence; anything else what the form shows. */
function membershipFieldProps(t: Translate, error: unknown, field: string, otherwise: FieldState): FieldState {
  const conflict = isApiError(error) && error.code === 'conflict' && error.field === field ? conflicts[field] : undefined;
  return conflict === undefined ? otherwise : { validationMessage: t(conflict), validationState: 'error' as const };
}

/** Operator console: the program-membership registry (register one, or many from CSV). */
export function OperatorMembershipsPage() {
  const styles = useStyles();
  const { t, locale } = useI18n();
  return (
    <>
      <PageHeader title={t('nav.operatorMemberships')} description={t('memberships.description')} />
      <Section title={t('memberships.register')}>
        <RegisterMembership />
      </Section>
      <Section title={t('memberships.import')}>
        <Body1 as="p">{t('memberships.import.text')}</Body1>
        <CsvImport
          label={t('memberships.import')}
          header={header}
          example="MPN-7000100,Contoso Ltd,GB,pmc@contoso.example,a-long-password"
          upload={(csv) => api.importMemberships({ body: csv })}
          result={(done) => (
            <>
              {t('memberships.imported', { count: done.imported })}
              <ul className={styles.list}>
                {done.items.map((m) => (
                  <li key={m.id}>
                    {m.membershipId} · {m.legalName} · {countryName(locale, m.country)} · {m.accountEmail}
                  </li>
                ))}
              </ul>
            </>
          )}
        />
      </Section>
    </>
  );
}

interface MembershipDraft {
  membershipId: string;
  legalName: string;
  country: string;
  accountEmail: string;
  accountPassword: string;
}

function RegisterMembership() {
  const { t } = useI18n();
  const register = useForm({
    // The next membership is likely registered in the same country.
    initial: (previous: MembershipDraft | undefined): MembershipDraft => ({
      membershipId: '',
      legalName: '',
      country: previous?.country ?? browserCountry(),
      accountEmail: '',
      accountPassword: '',
    }),
    restartOnDone: true,
    schema: RegisterMembershipBody,
    action: (body) => api.registerMembership({ body }),
    notice: (m) => t('memberships.done', { id: m.membershipId, email: m.accountEmail }),
  });
  const form = register.values;
  const set = register.patch;
  const e = register.error;
  return (
    <Form label={t('memberships.register')} onSubmit={register.submit}>
      <Field label={t('memberships.membershipId')} required {...membershipFieldProps(t, e, 'membershipId', register.field('membershipId'))}>
        <Input value={form.membershipId} onChange={(_e, d) => set({ membershipId: d.value })} />
      </Field>
      <Field label={t('memberships.legalName')} required {...membershipFieldProps(t, e, 'legalName', register.field('legalName'))}>
        <Input value={form.legalName} onChange={(_e, d) => set({ legalName: d.value })} />
      </Field>
      <Field label={t('field.country')} required {...membershipFieldProps(t, e, 'country', register.field('country'))}>
        <CountrySelect value={form.country} onChange={(country) => set({ country })} />
      </Field>
      <FieldGroup legend={t('memberships.account')}>
        <Body1 as="p">{t('memberships.account.hint')}</Body1>
        <Field label={t('memberships.accountEmail')} required {...membershipFieldProps(t, e, 'accountEmail', register.field('accountEmail'))}>
          <Input type="email" autoComplete="off" value={form.accountEmail} onChange={(_e, d) => set({ accountEmail: d.value })} />
        </Field>
        <Field label={t('memberships.accountPassword')} hint={t('field.password.hint')} required {...membershipFieldProps(t, e, 'accountPassword', register.field('accountPassword'))}>
          <Input type="password" autoComplete="new-password" value={form.accountPassword} onChange={(_e, d) => set({ accountPassword: d.value })} />
        </Field>
      </FieldGroup>
      <ProblemBar error={e} fields={fields} />
      <FormActions>
        <Button appearance="primary" type="submit" disabled={register.busy}>
          {t('memberships.submit')}
        </Button>
      </FormActions>
    </Form>
  );
}
