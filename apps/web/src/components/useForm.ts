import { useMutation, type QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import type { FormDialogProps } from './FormDialog.tsx';
import { useNotify } from './notify.tsx';
import { fieldProps } from './problems.tsx';
import { schemaProblems, type BodySchema } from './validation.ts';

/** What a Fluent Field shows: a message and the error state, when the field is at fault. */
export interface FieldState {
  validationMessage?: string;
  validationState?: 'error';
}

export interface FormOptions<V, R> {
  /** The values a form starts from; `previous` is what it held when it starts again. */
  initial(previous: V | undefined): V;
  /** The request; it gets the values as they were on submit. */
  action(values: V): Promise<R>;
  /** Problems found before sending, by field path; any problem stops the submit. */
  validate?(values: V): Readonly<Record<string, string>>;
  /**
   * The contract's schema of the request body, checked before sending (one message per field, in
   * the user's language), with `body` turning the values into that body (default: the values).
   */
  schema?: BodySchema;
  body?(values: V): unknown;
  /** The confirmation shown after success, if any. */
  notice?(result: R, values: V): string | undefined;
  /** The queries that success makes stale. */
  invalidates?(result: R, values: V): readonly QueryKey[];
  /** Runs after the notice and the invalidation; a promise keeps the form busy until it settles. */
  onDone?(result: R, values: V): void | Promise<void>;
  onError?(error: unknown, values: V): void | Promise<void>;
  /** Success starts the values again from `initial` (default: they stay). */
  restartOnDone?: boolean;
}

export interface FormState<V, R> {
  values: V;
  set<K extends keyof V>(field: K, value: V[K]): void;
  /** Sets several fields at once. */
  patch(values: Partial<V>): void;
  /** Checks, then sends the current values (the form's `busy` prevents a second send). */
  submit(): void;
  busy: boolean;
  /** The failed request's error, or null. */
  error: unknown;
  /** The last success's answer, until the form is reset. */
  result: R | undefined;
  /** Props for a Fluent Field at this path: a local problem first, else the API's. */
  field(path: string): FieldState;
  /** Forgets the answer and the problems; `restart` also starts the values again. */
  reset(restart: boolean): void;
}

/**
 * The frame of a form the API validates: one state object for its fields, one mutation that
 * notifies and invalidates on success, problems next to their fields.
 */
export function useForm<V, R>(options: FormOptions<V, R>): FormState<V, R> {
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const [values, setValues] = useState<V>(() => options.initial(undefined));
  const [local, setLocal] = useState<Readonly<Record<string, string>>>({});
  const mutation = useMutation({
    mutationFn: (sent: V) => options.action(sent),
    onSuccess: (result, sent) => {
      const message = options.notice?.(result, sent);
      if (message !== undefined) notify(message);
      void invalidate(...(options.invalidates?.(result, sent) ?? []));
      if (options.restartOnDone === true) setValues(options.initial(sent));
      return options.onDone?.(result, sent);
    },
    onError: (error, sent) => options.onError?.(error, sent),
  });
  return {
    values,
    // Functional update: callbacks of an earlier render (e.g. after a request) still set one field only.
    set: (field, value) => setValues((old) => ({ ...old, [field]: value })),
    patch: (patch) => setValues((old) => ({ ...old, ...patch })),
    submit: () => {
      const checked = options.schema === undefined ? {} : schemaProblems(t, options.schema, options.body?.(values) ?? values);
      const problems = { ...checked, ...options.validate?.(values) };
      setLocal(problems);
      if (Object.keys(problems).length === 0) mutation.mutate(values);
    },
    busy: mutation.isPending,
    error: mutation.error,
    result: mutation.data,
    field: (path) => {
      const message = local[path];
      return message === undefined ? fieldProps(t, mutation.error, path) : { validationMessage: message, validationState: 'error' };
    },
    reset: (restart) => {
      mutation.reset();
      setLocal({});
      if (restart) setValues(options.initial(values));
    },
  };
}

/**
 * When a dialog's values start again from `initial`: on each opening (they follow what the page
 * shows now), on each closing, or only after success (a cancelled draft is kept for next time).
 */
export type Restart = 'onOpen' | 'onClose' | 'onDone';

export interface FormDialogOptions<V, R> extends Omit<FormOptions<V, R>, 'restartOnDone'> {
  /** Default 'onClose'. */
  restart?: Restart;
  /** Success leaves the dialog open, showing the answer (e.g. a secret shown once). */
  stayOpen?: boolean;
  /** Runs on every closing, by the user or after success. */
  onClose?(): void;
}

export interface FormDialogState<V, R> extends FormState<V, R> {
  open: boolean;
  setOpen(next: boolean): void;
  /** `open`, `onOpenChange`, `onSubmit` and `busy` for <FormDialog>. */
  dialog: Pick<FormDialogProps, 'open' | 'onOpenChange' | 'onSubmit' | 'busy'>;
}

/** A form in a dialog: success closes it (unless `stayOpen`); opening and closing forget the last answer. */
export function useFormDialog<V, R>({ restart = 'onClose', stayOpen = false, onClose, ...options }: FormDialogOptions<V, R>): FormDialogState<V, R> {
  const [open, setOpenState] = useState(false);
  const form = useForm<V, R>({
    ...options,
    restartOnDone: restart === 'onDone',
    onDone: (result, values) => {
      if (!stayOpen) setOpen(false);
      return options.onDone?.(result, values);
    },
  });
  function setOpen(next: boolean) {
    setOpenState(next);
    if (!next) onClose?.();
    form.reset(next ? restart === 'onOpen' : restart === 'onClose');
  }
  return { ...form, open, setOpen, dialog: { open, onOpenChange: setOpen, onSubmit: form.submit, busy: form.busy } };
}
