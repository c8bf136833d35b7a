import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger } from '@fluentui/react-components';
import { useMutation, type QueryKey } from '@tanstack/react-query';
import { useState, type ReactElement, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { useNotify } from './notify.tsx';
import { ProblemBar } from './problems.tsx';

export interface ConfirmDialogProps<T> {
  /** The button that opens the dialog. */
  trigger: ReactElement;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Runs the change; the dialog stays open and shows the problem if it fails. */
  action(): Promise<T>;
  /** The confirmation shown after success. */
  notice?(result: T): string;
  /** The queries that success makes stale. */
  invalidates?: readonly QueryKey[];
  /** Runs after the notice and the invalidation. */
  onDone?(result: T): void;
  /** Also told about a failure (shown in the dialog either way), e.g. to reload what went stale. */
  onError?(error: unknown): void;
  /** False keeps the confirm button disabled (e.g. until an attestation is ticked). */
  canConfirm?: boolean;
  onOpenChange?(open: boolean): void;
}

/** A destructive change behind one explicit confirmation. */
export function ConfirmDialog<T>({ trigger, title, children, confirmLabel, action, notice, invalidates = [], onDone, canConfirm = true, onOpenChange, onError }: ConfirmDialogProps<T>) {
  const { t } = useI18n();
  const notify = useNotify();
  const invalidate = useInvalidate();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: (result) => {
      setOpen(false);
      if (notice !== undefined) notify(notice(result));
      void invalidate(...invalidates);
      onDone?.(result);
    },
    onError: (error) => onError?.(error),
  });
  const change = (next: boolean) => {
    setOpen(next);
    if (!next) mutation.reset();
    onOpenChange?.(next);
  };
  return (
    <Dialog open={open} onOpenChange={(_e, data) => change(data.open)} modalType="alert">
      <DialogTrigger disableButtonEnhancement>{trigger}</DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>
            {children}
            <ProblemBar error={mutation.error} />
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!canConfirm || mutation.isPending} onClick={() => mutation.mutate()}>
              {confirmLabel}
            </Button>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('common.cancel')}</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
