import { Body1, Button, Caption1, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Textarea, tokens } from '@fluentui/react-components';
import { ArrowUploadRegular } from '@fluentui/react-icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@tierlink/client';
import { useId, useState, type ChangeEvent } from 'react';
import { api } from '../api.ts';
import { Form, FormActions } from '../components/forms.tsx';
import { PageHeader } from '../components/page.tsx';
import { ProblemBar } from '../components/problems.tsx';
import { useI18n } from '../i18n/index.tsx';

const header = 'partner_domain,customer_name,customer_domain,customer_country';
const useStyles = makeStyles({
  csv: { fontFamily: tokens.fontFamilyMonospace, minHeight: '200px' },
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  counts: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  line: { fontFamily: tokens.fontFamilyMonospace },
});

/** The data row (0-based) an import error names: `items.3.partnerDomain` → 3. */
function rowOf(field: string | undefined): number | null {
  const match = /^items\.(\d+)/.exec(field ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** Operator console: pre-existing reseller relationships from CSV, in one all-or-nothing import. */
export function OperatorImportPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const fileId = useId();
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const run = useMutation({
    mutationFn: () => api.importRelationships({ body: csv }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['operator-partners'] }),
  });
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
    <>
      <PageHeader title={t('nav.operatorImport')} description={t('import.description')} />
      <Form label={t('nav.operatorImport')} onSubmit={() => run.mutate()} wide>
        <div className={styles.file}>
          <label htmlFor={fileId}>
            <Body1>{t('import.file')}</Body1>
          </label>
          <input id={fileId} type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} />
        </div>
        <Field label={t('import.paste')} hint={t('import.header', { header })}>
          <Textarea className={styles.csv} resize="vertical" value={csv} placeholder={`${header}\nalder-it.example,Contoso,contoso.example,US`} onChange={(_e, d) => setCsv(d.value)} />
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
              <ul className={styles.counts}>
                <li>{t('import.created', { count: run.data.created })}</li>
                <li>{t('import.existing', { count: run.data.existing })}</li>
                <li>{t('import.customersCreated', { count: run.data.customersCreated })}</li>
              </ul>
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <FormActions>
          <Button appearance="primary" type="submit" icon={<ArrowUploadRegular />} disabled={run.isPending || csv.trim() === ''}>
            {t('import.submit')}
          </Button>
        </FormActions>
      </Form>
    </>
  );
}
