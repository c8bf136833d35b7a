import { makeStyles, tokens } from '@fluentui/react-components';
import { api } from '../api.ts';
import { CsvImport } from '../components/CsvImport.tsx';
import { PageHeader } from '../components/page.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useInvalidate } from '../queries/invalidate.ts';
import { queryKeys } from '../queries/keys.ts';

const header = 'partner_domain,customer_name,customer_domain,customer_country';
const useStyles = makeStyles({ counts: { margin: 0, paddingLeft: tokens.spacingHorizontalXL } });

/** Operator console: pre-existing reseller relationships from CSV, in one all-or-nothing import. */
export function OperatorImportPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const invalidate = useInvalidate();
  return (
    <>
      <PageHeader title={t('nav.operatorImport')} description={t('import.description')} />
      <CsvImport
        label={t('nav.operatorImport')}
        header={header}
        example="alder-it.example,Contoso,contoso.example,US"
        upload={(csv) => api.importRelationships({ body: csv })}
        onDone={() => void invalidate(queryKeys.operator.partners.all)}
        result={(done) => (
          <ul className={styles.counts}>
            <li>{t('import.created', { count: done.created })}</li>
            <li>{t('import.existing', { count: done.existing })}</li>
            <li>{t('import.customersCreated', { count: done.customersCreated })}</li>
          </ul>
        )}
      />
    </>
  );
}
