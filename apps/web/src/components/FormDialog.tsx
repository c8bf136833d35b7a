import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  wide: { maxWidth: '760px' },
});

export interface FormDialogProps {
  /** The button that opens the dialog. */
  trigger: ReactElement;
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  submitLabel: string;
  /** Runs on submit (Enter or the primary button); the dialog stays open until the caller closes it. */
  onSubmit(): void;
  /** A request is running: the submit button waits. */
  busy: boolean;
  children: ReactNode;
  /** Shown instead of the form once it is done (e.g. a secret shown once), with its own actions. */
  done?: { title: string; content: ReactNode; actions: ReactNode } | undefined;
  wide?: boolean;
}

/**
 * A form in a Fluent dialog (the dialog is labelled by its title): `noValidate` (the API validates and its
 * problems sit next to their fields), submit and cancel. Focus is trapped and Escape closes.
 */
export function FormDialog({ trigger, open, onOpenChange, title, submitLabel, onSubmit, busy, children, done, wide = false }: FormDialogProps) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Dialog open={open} onOpenChange={(_e, d) => onOpenChange(d.open)}>
      <DialogTrigger disableButtonEnhancement>{trigger}</DialogTrigger>
      <DialogSurface className={wide ? styles.wide : undefined}>
        {done === undefined ? (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) onSubmit();
            }}
          >
            <DialogBody>
              <DialogTitle>{title}</DialogTitle>
              <DialogContent className={styles.content}>{children}</DialogContent>
              <DialogActions>
                <Button appearance="primary" type="submit" disabled={busy}>
                  {submitLabel}
                </Button>
                <DialogTrigger disableButtonEnhancement>
                  <Button>{t('common.cancel')}</Button>
                </DialogTrigger>
              </DialogActions>
            </DialogBody>
          </form>
        ) : (
          <DialogBody>
            <DialogTitle>{done.title}</DialogTitle>
            <DialogContent className={styles.content}>{done.content}</DialogContent>
            <DialogActions>{done.actions}</DialogActions>
          </DialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}
