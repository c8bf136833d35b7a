import { Body1, Button, Caption1, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Textarea, tokens } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';
import { useMutation } from '@tanstack/react-query';
import { isApiError } from '@tierlink/client';
import { useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { Form, FormActions } from './forms.tsx';
import { ProblemBar } from './problems.tsx';

const useStyles = makeStyles({
  csv: { fontFamily: tokens.fontFamilyMonospace, minHeight: '200px' },
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  line: { fontFamily: tokens.fontFamilyMonospace },
});

/** The data row (0-based) an import error names: `items.3.partnerDomain` → 3. */
function rowOf(field: string | undefined): number | null {
  const match = /^items\.(\d+)/.exec(field ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

export interface CsvImportProps<T> {
  label: string;
  /** The CSV's first line, as the API expects it. */
  header: string;
  /** One data line, shown as the example below the header. */
  example: string;
  upload(csv: string): Promise<T>;
  onDone?(result: T): void;
  /** What the success message lists. */
  result(result: T): ReactNode;
}

/**
 * A CSV file (or pasted text) sent as one all-or-nothing import; a refused row is shown with its
 * line number as a spreadsheet counts it, and its text.
 */
export function CsvImport<T>({ label, header, example, upload, onDone, result }: CsvImportProps<T>) {
  const styles = useStyles();
  const { t } = useI18n();
  const fileId = useId();
  const [csv, setCsv] = useState('');
  const run = useMutation({ mutationFn: () => upload(csv), onSuccess: (done) => onDone?.(done) });
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file !== undefined) setCsv(await file.text());
    run.reset();
  };
  const error = run.error;
  const row = isApiError(error) ? rowOf(error.field) : null;
  // Line numbers as a spreadsheet shows them: the header is line 1.
  const line = row === null ? null : { number: row + 2, text: csv.split(/\r?\n/)[row + 1] ?? '' };
  return (
    <Form label={label} onSubmit={() => run.mutate()} wide>
      <div className={styles.file}>
        <label htmlFor={fileId}>
          <Body1>{t('import.file')}</Body1>
        </label>
        <input id={fileId} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} />
      </div>
      <Field label={t('import.paste')} hint={t('import.header', { header })}>
        <Textarea className={styles.csv} resize="vertical" value={csv} placeholder={`${header}\n${example}`} onChange={(_e, d) => setCsv(d.value)} />
      </Field>
      {line !== null ? (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>{t('import.rowError', { line: line.number })}</MessageBarTitle>
            {isApiError(error) ? error.detail : null}
            <Caption1 block className={styles.line}>
              {line.text}
            </Caption1>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <ProblemBar error={error} />
      )}
      {run.data !== undefined ? (
        <MessageBar intent="success" layout="multiline" role="status">
          <MessageBarBody>
            <MessageBarTitle>{t('import.done')}</MessageBarTitle>
            {result(run.data)}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <FormActions>
        <Button appearance="primary" type="submit" icon={<ArrowUploadRegular />} disabled={run.isPending || csv.trim() === ''}>
          {t('import.submit')}
        </Button>
      </FormActions>
    </Form>
  );
}
