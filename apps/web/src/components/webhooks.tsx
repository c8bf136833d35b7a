import { Badge, Body1, Button, Caption1, Checkbox, Field, Input, makeStyles, Radio, RadioGroup, Switch, tokens } from '@fluentui/react-components';
import { useMutation } from '@tanstack/react-query';
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '@tierlink/client';
import { CreateWebhookEndpointBody, UpdateWebhookEndpointBody, type EventType } from '@tierlink/contract';
import { useId, useState, type ReactElement } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';
import { useEventTypes } from '../queries/webhooks.ts';
import { FieldGroup } from './forms.tsx';
import { useNotify } from './notify.tsx';
import { Loading } from './page.tsx';
import { errorText, ProblemBar } from './problems.tsx';
import { CopyButton, ShownOnce } from './ShownOnce.tsx';
import { Secondary } from './table.tsx';
import { FormDialog, type FormDialogProps } from './FormDialog.tsx';
import { useFormDialog, type FormState } from './useForm.ts';

const useStyles = makeStyles({
  groups: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', gap: tokens.spacingVerticalM },
  type: { display: 'flex', flexDirection: 'column' },
  code: { fontFamily: tokens.fontFamilyMonospace },
  hint: { color: tokens.colorNeutralForeground2, paddingLeft: '32px' },
  problem: { color: tokens.colorPaletteRedForeground1 },
  status: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
  url: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
});

/** The resource an event type is about: the part of its name before the first dot. */
type EventGroup = EventType extends `${infer G}.${string}` ? G : never;
const groupOf = (type: EventType): EventGroup => type.slice(0, type.indexOf('.')) as EventGroup;

/** What the create and edit forms hold; `scope` 'all' sends `eventTypes: []`, which means every type. */
interface EndpointValues {
  url: string;
  description: string;
  scope: 'all' | 'selected';
  eventTypes: EventType[];
}

const endpointValues = (e?: WebhookEndpoint): EndpointValues => ({
  url: e?.url ?? '',
  description: e?.description ?? '',
  scope: e === undefined || e.eventTypes.length === 0 ? 'all' : 'selected',
  eventTypes: e?.eventTypes ?? [],
});

const endpointBody = (v: EndpointValues) => ({ url: v.url.trim(), description: v.description, eventTypes: v.scope === 'all' ? [] : v.eventTypes });

/**
 * "Add endpoint" (no `endpoint`: the signing secret is shown once, and closing forgets it) or "Edit"
 * (each opening starts from the endpoint as it is now).
 */
export function EndpointDialog({ endpoint, trigger }: { endpoint?: WebhookEndpoint; trigger: ReactElement }) {
  const { t } = useI18n();
  const creating = endpoint === undefined;
  const none: Readonly<Record<string, string>> = {};
  const form = useFormDialog<EndpointValues, WebhookEndpoint | WebhookEndpointWithSecret>({
    restart: creating ? 'onClose' : 'onOpen',
    initial: () => endpointValues(endpoint),
    schema: creating ? CreateWebhookEndpointBody : UpdateWebhookEndpointBody,
    body: endpointBody,
    // "Only the events I choose" with none chosen would mean every event.
    validate: (v) => (v.scope === 'selected' && v.eventTypes.length === 0 ? { eventTypes: t('webhooks.events.none') } : none),
    action: (v) => (endpoint === undefined ? api.createWebhookEndpoint({ body: endpointBody(v) }) : api.updateWebhookEndpoint({ id: endpoint.id, body: endpointBody(v) })),
    notice: () => (creating ? undefined : t('webhooks.edit.done')),
    invalidates: () => [queryKeys.webhooks.all],
    // The secret stays on screen until the dialog closes.
    stayOpen: creating,
  });
  const created = form.result !== undefined && 'secret' in form.result ? form.result : undefined;
  return (
    <FormDialog
      trigger={trigger}
      {...form.dialog}
      wide
      title={t(creating ? 'webhooks.create.title' : 'webhooks.edit.title')}
      submitLabel={t(creating ? 'webhooks.create.submit' : 'webhooks.edit.submit')}
      done={created === undefined ? undefined : secretShown(t, t('webhooks.created.title'), created, () => form.setOpen(false))}
    >
      <EndpointFields form={form} />
    </FormDialog>
  );
}

/** URL, description and the event types of an endpoint; problems sit at their fields. */
function EndpointFields<R>({ form }: { form: FormState<EndpointValues, R> }) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t('webhooks.url')} hint={t('webhooks.url.hint')} required {...form.field('url')}>
        <Input type="url" autoComplete="off" value={form.values.url} onChange={(_e, d) => form.set('url', d.value)} />
      </Field>
      <Field label={t('webhooks.descriptionField')} hint={t('webhooks.descriptionField.hint')} {...form.field('description')}>
        <Input autoComplete="off" value={form.values.description} onChange={(_e, d) => form.set('description', d.value)} />
      </Field>
      <Field label={t('webhooks.events')}>
        <RadioGroup value={form.values.scope} onChange={(_e, d) => form.set('scope', d.value === 'selected' ? 'selected' : 'all')}>
          <Radio value="all" label={t('webhooks.events.all')} />
          <Radio value="selected" label={t('webhooks.events.selected')} />
        </RadioGroup>
      </Field>
      {form.values.scope === 'selected' ? (
        <EventTypePicker value={form.values.eventTypes} onChange={(types) => form.set('eventTypes', types)} problem={form.field('eventTypes').validationMessage} />
      ) : (
        <Secondary>{t('webhooks.events.all.hint')}</Secondary>
      )}
      <ProblemBar error={form.error} fields={['url', 'description', 'eventTypes']} />
    </>
  );
}

/**
 * The catalog (GET /event-types) as checkboxes grouped by resource, each with what it means.
 * No Fluent Field around them: a Field gives its one id to every control inside it.
 */
function EventTypePicker({ value, onChange, problem }: { value: EventType[]; onChange(types: EventType[]): void; problem: string | undefined }) {
  const styles = useStyles();
  const { t } = useI18n();
  const id = useId();
  const catalog = useEventTypes();
  if (catalog.isPending) return <Loading />;
  if (catalog.isError) return <ProblemBar error={catalog.error} />;
  const groups = new Map<EventGroup, EventType[]>();
  for (const { name } of catalog.data.items) groups.set(groupOf(name), [...(groups.get(groupOf(name)) ?? []), name]);
  return (
    <div>
      <div className={styles.groups}>
        {[...groups].map(([group, types]) => (
          <FieldGroup key={group} legend={t(`eventGroup.${group}`)}>
            {types.map((type) => (
              <div key={type} className={styles.type}>
                <Checkbox
                  label={<span className={styles.code}>{type}</span>}
                  checked={value.includes(type)}
                  aria-describedby={problem === undefined ? `${id}-${type}` : `${id}-${type} ${id}-problem`}
                  onChange={(_e, d) => onChange(d.checked === true ? [...value, type] : value.filter((v) => v !== type))}
                />
                <Caption1 id={`${id}-${type}`} className={styles.hint}>
                  {t(`eventType.${type}`)}
                </Caption1>
              </div>
            ))}
          </FieldGroup>
        ))}
      </div>
      {problem === undefined ? null : (
        <Body1 id={`${id}-problem`} className={styles.problem}>
          {problem}
        </Body1>
      )}
    </div>
  );
}

/** "All events", or the subscribed types by name. */
export function EventTypeList({ types }: { types: readonly EventType[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (types.length === 0) return <>{t('webhooks.events.all')}</>;
  return <span className={styles.code}>{types.join(', ')}</span>;
}

export function EndpointUrl({ url }: { url: string }) {
  const styles = useStyles();
  return <span className={styles.url}>{url}</span>;
}

/** Enabled or disabled, and why Tierlink switched it off when it did. */
export function EndpointStatus({ endpoint: e }: { endpoint: WebhookEndpoint }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <span className={styles.status}>
      <Badge appearance="tint" shape="rounded" color={e.enabled ? 'success' : e.disabledReason === null ? 'subtle' : 'danger'}>
        {t(e.enabled ? 'webhooks.status.enabled' : 'webhooks.status.disabled')}
      </Badge>
      {e.enabled || e.disabledReason === null ? null : <Secondary>{t(`webhooks.status.${e.disabledReason}`)}</Secondary>}
    </span>
  );
}

/** Switches sending on or off at once (PATCH `enabled`); a failure is shown next to it. */
export function EnabledSwitch({ endpoint: e, labelled = false }: { endpoint: WebhookEndpoint; /** Name the endpoint in the label (table rows). */ labelled?: boolean }) {
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  // The state asked for, shown at once (the mutation's own state arrives a tick later) until the
  // endpoints are read again; a failure shows the endpoint's state again.
  const [asked, setAsked] = useState<boolean | null>(null);
  const change = useMutation({
    mutationFn: (enabled: boolean) => api.updateWebhookEndpoint({ id: e.id, body: { enabled } }),
    onSuccess: async (updated) => {
      notify(t(updated.enabled ? 'webhooks.enabled.done' : 'webhooks.disabled.done', { url: updated.url }));
      await invalidate(queryKeys.webhooks.all);
    },
    onSettled: () => setAsked(null),
  });
  return (
    <>
      <Switch
        label={t('webhooks.enabled')}
        aria-label={labelled ? t('webhooks.enabled.label', { url: e.url }) : undefined}
        checked={asked ?? e.enabled}
        disabled={asked !== null}
        onChange={(_ev, d) => {
          setAsked(d.checked);
          change.mutate(d.checked);
        }}
      />
      {change.error === null ? null : <Caption1 role="alert">{errorText(t, change.error)}</Caption1>}
    </>
  );
}

/** A secret shown once (after create and rotate): the warning, the value, Copy and Done. */
export function secretShown(t: ReturnType<typeof useI18n>['t'], title: string, answer: WebhookEndpointWithSecret, close: () => void): NonNullable<FormDialogProps['done']> {
  return {
    title,
    content: (
      <>
        <Body1 as="p">
          <EndpointUrl url={answer.endpoint.url} />
        </Body1>
        <ShownOnce text={t('webhooks.secret.text')} fields={[{ label: t('webhooks.secret'), value: answer.secret, secret: true }]} />
      </>
    ),
    actions: (
      <>
        <CopyButton label={t('webhooks.secret.copy')} text={answer.secret} copied={t('webhooks.secret.copied')} failed={t('webhooks.secret.copyFailed')} />
        <Button appearance="primary" onClick={close}>
          {t('users.done')}
        </Button>
      </>
    ),
  };
}

/** A row's or page's immediate action (no confirmation): busy while it runs, notifies, refreshes the endpoints. */
export function ActionButton({
  icon,
  label,
  ariaLabel,
  run,
  done,
  inRow = false,
}: {
  icon: ReactElement;
  label: string;
  ariaLabel?: string;
  run(): Promise<unknown>;
  done: string;
  /** A table row's small subtle button, else a page command. */
  inRow?: boolean;
}) {
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const action = useMutation({
    mutationFn: run,
    onSuccess: async () => {
      notify(done);
      await invalidate(queryKeys.webhooks.all);
    },
  });
  return (
    <>
      <Button size={inRow ? 'small' : 'medium'} appearance={inRow ? 'subtle' : 'secondary'} icon={icon} aria-label={ariaLabel} disabled={action.isPending} onClick={() => action.mutate()}>
        {label}
      </Button>
      {action.error === null ? null : <Caption1 role="alert">{errorText(t, action.error)}</Caption1>}
    </>
  );
}
