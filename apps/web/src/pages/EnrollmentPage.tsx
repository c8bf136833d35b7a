import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Subtitle2,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { isApiError, type Enrollment, type MembershipSignIn } from '@tierlink/client';
import { programs, type Program } from '@tierlink/contract';
import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { FieldGroup, Form, FormActions } from '../components/forms.tsx';
import { RouterButton } from '../components/links.tsx';
import { useNotify } from '../components/notify.tsx';
import { Loading, PageHeader, Section } from '../components/page.tsx';
import { fieldProps, ProblemBar } from '../components/problems.tsx';
import { countryName, useI18n } from '../i18n/index.tsx';
import { useOwnEnrollments, useRememberEnrollment } from '../queries/enrollment.ts';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { awaitingApproval, meQuery, useMe } from '../session.ts';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '900px' },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  cardHeader: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  details: {
    display: 'grid',
    gridTemplateColumns: 'minmax(160px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0, wordBreak: 'break-word' },
  pair: { display: 'contents' },
  wizard: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '760px' },
  step: { color: tokens.colorNeutralForeground2 },
});

/**
 * Seed "Enroll as an indirect reseller": the organization's enrollments and their states, and the
 * wizard that submits one (membership registry sign-in → program, legal profile, contacts → Enroll now).
 */
export function EnrollmentPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const invalidate = useInvalidate();
  const enrollments = useOwnEnrollments();
  // The wizard, opened for a program (enroll again, another program) or for the first enrollment.
  const [wizard, setWizard] = useState<{ program: Program } | null>(null);
  const items = enrollments.data?.items ?? [];

  // A decision made meanwhile (approved, rejected) changes what /me says; refresh it to match.
  useEffect(() => {
    if (enrollments.data === undefined) return;
    const known = new Map(me.organization.programs.map((p) => [p.program, p.state]));
    if (enrollments.data.items.some((e) => known.get(e.program) !== e.state)) void invalidate(queryKeys.me);
  }, [enrollments.data, me, invalidate]);

  // A program not enrolled in at all; a rejected one is offered again on its own card.
  const another = programs.find((p) => !items.some((e) => e.program === p));
  let content;
  if (enrollments.isPending) content = <Loading />;
  else if (enrollments.isError) content = <ProblemBar error={enrollments.error} />;
  else if (wizard !== null || items.length === 0) {
    content = (
      <EnrollmentWizard
        // Enrolling again keeps the program; a first enrollment has none until the user picks one.
        program={wizard?.program ?? (items.length === 0 ? null : (another ?? null))}
        onCancel={items.length === 0 ? undefined : () => setWizard(null)}
        onEnrolled={() => setWizard(null)}
      />
    );
  } else {
    content = (
      <Section title={t('enrollment.yours')}>
        <div className={styles.list}>
          {items.map((e) => (
            <EnrollmentStatus key={e.id} enrollment={e} onEnrollAgain={() => setWizard({ program: e.program })} />
          ))}
        </div>
        {another === undefined ? null : (
          <FormActions>
            <Button onClick={() => setWizard({ program: another })}>{t('enrollment.another')}</Button>
          </FormActions>
        )}
      </Section>
    );
  }
  return (
    <>
      <PageHeader title={t('nav.enrollment')} description={t('enrollment.description')} />
      {awaitingApproval(me) ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t('enrollment.waiting')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {content}
    </>
  );
}

const intentOf = { email_unverified: 'warning', in_review: 'info', approved: 'success', rejected: 'error' } as const;
const badgeOf = { email_unverified: 'warning', in_review: 'informative', approved: 'success', rejected: 'danger' } as const;

function EnrollmentStatus({ enrollment: e, onEnrollAgain }: { enrollment: Enrollment; onEnrollAgain(): void }) {
  const styles = useStyles();
  const { t, date } = useI18n();
  const contactEmail = e.primaryContact?.email ?? '';
  const text =
    e.state === 'email_unverified'
      ? t('enrollment.state.email_unverified.text', { email: contactEmail })
      : e.state === 'in_review'
        ? t('enrollment.state.in_review.text', { email: contactEmail })
        : t(`enrollment.state.${e.state}.text`);
  const program = t(`program.${e.program}`);
  return (
    <article className={styles.card} aria-label={program}>
      <div className={styles.cardHeader}>
        <Subtitle2 as="h3">{program}</Subtitle2>
        <Badge appearance="tint" shape="rounded" color={badgeOf[e.state]}>
          {t(`enrollmentState.${e.state}`)}
        </Badge>
        <Caption1>{t('enrollment.submittedOn', { date: date(e.createdAt) })}</Caption1>
      </div>
      <MessageBar intent={intentOf[e.state]} layout="multiline" role={e.state === 'email_unverified' ? 'status' : undefined}>
        <MessageBarBody>
          <MessageBarTitle>{t(`enrollment.state.${e.state}.title`)}</MessageBarTitle>
          {e.state === 'rejected' && e.decisionReason !== null ? <Body1 block>{t('enrollment.reason', { reason: e.decisionReason })}</Body1> : null}
          {text}
        </MessageBarBody>
      </MessageBar>
      <EnrollmentDetails enrollment={e} />
      {e.state === 'rejected' ? (
        <FormActions>
          <Button appearance="primary" onClick={onEnrollAgain}>
            {t('enrollment.enrollAgain')}
          </Button>
        </FormActions>
      ) : e.state === 'approved' ? (
        <FormActions>
          <RouterButton appearance="primary" to="/">
            {t('enrollment.open')}
          </RouterButton>
        </FormActions>
      ) : null}
    </article>
  );
}

function EnrollmentDetails({ enrollment: e }: { enrollment: Enrollment }) {
  const styles = useStyles();
  const { t } = useI18n();
  const rows: [string, string][] = [
    [t('column.membershipId'), e.membershipId ?? '—'],
    [t('enrollment.legal'), e.legalProfile === null ? '—' : `${e.legalProfile.name}, ${e.legalProfile.address}`],
    [t('enrollment.primary'), e.primaryContact === null ? '—' : `${e.primaryContact.name}, ${e.primaryContact.email}, ${e.primaryContact.phone}`],
    [t('enrollment.support'), e.supportProfile === null ? '—' : `${e.supportProfile.email}, ${e.supportProfile.phone}, ${e.supportProfile.website}`],
  ];
  return (
    <dl className={styles.details}>
      {rows.map(([term, value]) => (
        <div key={term} className={styles.pair}>
          <dt className={styles.term}>{term}</dt>
          <dd className={styles.value}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

type Profile = MembershipSignIn['profiles'][number];

/** Two steps: the membership registry's sign-in and profile choice, then the rest of "Enroll now". */
function EnrollmentWizard({ program: initialProgram, onCancel, onEnrolled }: { program: Program | null; onCancel: (() => void) | undefined; onEnrolled(): void }) {
  const styles = useStyles();
  const { t, locale } = useI18n();
  const me = useMe();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const remember = useRememberEnrollment();
  const [step, setStep] = useState<1 | 2>(1);
  const [account, setAccount] = useState({ email: '', password: '' });
  const [membershipId, setMembershipId] = useState('');
  const [program, setProgram] = useState<Program | null>(initialProgram);
  // Shown once "Enroll now" was pressed without a program: there is no default to fall back on.
  const [programMissing, setProgramMissing] = useState(false);
  const [legal, setLegal] = useState({ name: '', address: '' });
  const [primary, setPrimary] = useState({ name: me.user?.displayName ?? '', email: me.user?.email ?? '', phone: '' });
  const [support, setSupport] = useState({ email: '', phone: '', website: '' });

  const enroll = useMutation({
    mutationFn: ({ membershipToken, program }: { membershipToken: string; program: Program }) =>
      api.enroll({
        body: {
          program,
          membershipToken,
          membershipId,
          legalProfile: legal,
          primaryContact: primary,
          supportProfile: support,
        },
      }),
    onSuccess: async (enrollment) => {
      remember(enrollment);
      notify(t('enrollment.submitted'));
      onEnrolled();
      // Enrolling makes the organization a partner: from now on its users need MFA before anything else.
      const fresh = await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
      if (fresh.mfaEnrollmentRequired) await navigate({ to: '/settings/mfa' });
    },
  });
  const signIn = useMutation({
    mutationFn: () => api.signInMembership({ body: { accountEmail: account.email, accountPassword: account.password } }),
    onSuccess: (answer) => {
      setAccount({ ...account, password: '' });
      const only = answer.profiles.length === 1 ? answer.profiles[0] : undefined;
      if (only !== undefined) choose(only);
    },
  });
  const profiles = signIn.data?.profiles ?? [];
  const chosen = profiles.find((p) => p.membershipId === membershipId);
  const choose = (profile: Profile) => {
    setMembershipId(profile.membershipId);
    enroll.reset();
    // The legal name starts as the membership's; the partner may correct it.
    if (legal.name === '' || profiles.some((p) => p.legalName === legal.name)) setLegal({ ...legal, name: profile.legalName });
  };
  const chooseId = (id: string) => {
    const profile = profiles.find((p) => p.membershipId === id);
    if (profile !== undefined) choose(profile);
  };
  const describe = (p: Profile) => `${p.membershipId} · ${p.legalName} · ${countryName(locale, p.country)}`;

  const e = enroll.error;
  const membershipProblem = fieldProps(t, e, 'membershipId').validationMessage ?? fieldProps(t, e, 'membershipToken').validationMessage;
  const membershipField = membershipProblem === undefined ? {} : { validationMessage: membershipProblem, validationState: 'error' as const };

  if (step === 1) {
    return (
      <div className={styles.wizard}>
        <Body1 as="p">{t('enrollment.needs')}</Body1>
        <Caption1 className={styles.step}>{t('enrollment.step', { step: 1 })}</Caption1>
        <Subtitle2 as="h2">{t('enrollment.step1')}</Subtitle2>
        <Body1 as="p">{t('enrollment.step1.text')}</Body1>
        {signIn.data === undefined ? (
          <Form label={t('enrollment.step1')} onSubmit={() => signIn.mutate()}>
            <Field label={t('enrollment.accountEmail')} required {...fieldProps(t, signIn.error, 'accountEmail')}>
              <Input type="email" autoComplete="off" value={account.email} onChange={(_e, d) => setAccount({ ...account, email: d.value })} />
            </Field>
            <Field label={t('enrollment.accountPassword')} required {...fieldProps(t, signIn.error, 'accountPassword')}>
              <Input type="password" autoComplete="off" value={account.password} onChange={(_e, d) => setAccount({ ...account, password: d.value })} />
            </Field>
            <ProblemBar error={signIn.error} fields={['accountEmail', 'accountPassword']} />
            <FormActions>
              <Button appearance="primary" type="submit" disabled={signIn.isPending}>
                {t('enrollment.signIn')}
              </Button>
              {onCancel === undefined ? null : <Button onClick={onCancel}>{t('common.cancel')}</Button>}
            </FormActions>
          </Form>
        ) : (
          <Form label={t('enrollment.profiles')} onSubmit={() => setStep(2)}>
            {profiles.length === 0 ? (
              <MessageBar intent="warning">
                <MessageBarBody>{t('enrollment.noProfiles')}</MessageBarBody>
              </MessageBar>
            ) : (
              <Field
                label={t('enrollment.profiles')}
                hint={t('enrollment.profiles.hint', { country: countryName(locale, me.organization.country) })}
                required
                {...membershipField}
              >
                <RadioGroup value={membershipId} onChange={(_e, d) => chooseId(d.value)}>
                  {profiles.map((p) => (
                    <Radio key={p.membershipId} value={p.membershipId} label={describe(p)} />
                  ))}
                </RadioGroup>
              </Field>
            )}
            <FormActions>
              <Button appearance="primary" type="submit" disabled={chosen === undefined}>
                {t('enrollment.continue')}
              </Button>
              <Button
                onClick={() => {
                  signIn.reset();
                  enroll.reset();
                  setMembershipId('');
                }}
              >
                {t('enrollment.otherAccount')}
              </Button>
              {onCancel === undefined ? null : <Button onClick={onCancel}>{t('common.cancel')}</Button>}
            </FormActions>
          </Form>
        )}
      </div>
    );
  }

  const fields = [
    'program',
    'legalProfile.name',
    'legalProfile.address',
    'primaryContact.name',
    'primaryContact.email',
    'primaryContact.phone',
    'supportProfile.email',
    'supportProfile.phone',
    'supportProfile.website',
    'membershipId',
    'membershipToken',
  ];
  return (
    <div className={styles.wizard}>
      <Caption1 className={styles.step}>{t('enrollment.step', { step: 2 })}</Caption1>
      <Subtitle2 as="h2">{t('enrollment.step2')}</Subtitle2>
      <Form
        label={t('enrollment.step2')}
        onSubmit={() => {
          setProgramMissing(program === null);
          if (program !== null) enroll.mutate({ membershipToken: signIn.data?.membershipToken ?? '', program });
        }}
        wide
      >
        <Field label={t('enrollment.membership')} {...membershipField}>
          <Input readOnly value={chosen === undefined ? '' : describe(chosen)} />
        </Field>
        <div>
          <Button
            size="small"
            onClick={() => {
              // The registry's answer may be stale (30 minutes); a fresh sign-in is one click away.
              if (isStaleToken(e)) {
                signIn.reset();
                setMembershipId('');
              }
              setStep(1);
            }}
          >
            {t('enrollment.changeMembership')}
          </Button>
        </div>
        <Field
          label={t('enrollment.program')}
          required
          {...(programMissing && program === null ? { validationMessage: t('enrollment.program.required'), validationState: 'error' as const } : fieldProps(t, e, 'program'))}
        >
          <RadioGroup value={program ?? ''} onChange={(_e, d) => setProgram(d.value === 'indirect_provider' ? 'indirect_provider' : 'indirect_reseller')}>
            <Radio value="indirect_reseller" label={t('program.indirect_reseller')} />
            <Radio value="indirect_provider" label={t('program.indirect_provider')} />
          </RadioGroup>
        </Field>
        <FieldGroup legend={t('enrollment.legal')}>
          <Field label={t('enrollment.legalName')} required {...fieldProps(t, e, 'legalProfile.name')}>
            <Input autoComplete="organization" value={legal.name} onChange={(_e, d) => setLegal({ ...legal, name: d.value })} />
          </Field>
          <Field label={t('enrollment.address')} required {...fieldProps(t, e, 'legalProfile.address')}>
            <Textarea autoComplete="street-address" value={legal.address} onChange={(_e, d) => setLegal({ ...legal, address: d.value })} />
          </Field>
        </FieldGroup>
        <FieldGroup legend={t('enrollment.primary')}>
          <Body1 as="p">{t('enrollment.primary.hint')}</Body1>
          <Field label={t('enrollment.contactName')} required {...fieldProps(t, e, 'primaryContact.name')}>
            <Input autoComplete="name" value={primary.name} onChange={(_e, d) => setPrimary({ ...primary, name: d.value })} />
          </Field>
          <Field label={t('field.email')} required {...fieldProps(t, e, 'primaryContact.email')}>
            <Input type="email" autoComplete="email" value={primary.email} onChange={(_e, d) => setPrimary({ ...primary, email: d.value })} />
          </Field>
          <Field label={t('enrollment.phone')} required {...fieldProps(t, e, 'primaryContact.phone')}>
            <Input type="tel" autoComplete="tel" value={primary.phone} onChange={(_e, d) => setPrimary({ ...primary, phone: d.value })} />
          </Field>
        </FieldGroup>
        <FieldGroup legend={t('enrollment.support')}>
          <Body1 as="p">{t('enrollment.support.hint')}</Body1>
          <Field label={t('field.email')} required {...fieldProps(t, e, 'supportProfile.email')}>
            <Input type="email" value={support.email} onChange={(_e, d) => setSupport({ ...support, email: d.value })} />
          </Field>
          <Field label={t('enrollment.phone')} required {...fieldProps(t, e, 'supportProfile.phone')}>
            <Input type="tel" value={support.phone} onChange={(_e, d) => setSupport({ ...support, phone: d.value })} />
          </Field>
          <Field label={t('enrollment.website')} hint={t('enrollment.website.hint')} required {...fieldProps(t, e, 'supportProfile.website')}>
            <Input type="url" value={support.website} onChange={(_e, d) => setSupport({ ...support, website: d.value })} />
          </Field>
        </FieldGroup>
        <ProblemBar error={e} fields={fields} />
        <Body1 as="p">{t('enrollment.verifyNote')}</Body1>
        <FormActions>
          <Button appearance="primary" type="submit" disabled={enroll.isPending}>
            {t('enrollment.submit')}
          </Button>
          {onCancel === undefined ? null : <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        </FormActions>
      </Form>
    </div>
  );
}

/** The membership token expired (30 minutes) or belongs to another sign-in: sign in to the registry again. */
function isStaleToken(error: unknown): boolean {
  return isApiError(error) && error.field === 'membershipToken';
}
