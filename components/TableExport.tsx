import { useState } from 'react';
import { csvFileName, domainsOf, hasDomains, rowsToCsv, saveTextFile, type CsvFileNameInput } from '@/lib/ui/csv';
import { t, tPlural } from '@/lib/shared/i18n';
import type { AnyRow, ColumnDef } from '@/lib/shared/reports';
import { formatNumber } from '@/lib/ui/format';
import { Button, mutedText } from './ui';

export interface TableExportProps {
  rows: readonly AnyRow[];
  columns: readonly ColumnDef[];
  /** Everything the file name says about the table, except the day (today). */
  naming: Omit<CsvFileNameInput, 'date'>;
  /** Every row of the table is loaded (after "Load all"), not just the pages scrolled to. */
  complete: boolean;
}

/** "Export CSV" of the loaded rows and "Copy domains", each confirmed in a polite status line. */
export function TableExport({ rows, columns, naming, complete }: TableExportProps) {
  const [message, setMessage] = useState('');
  const disabled = rows.length === 0;

  async function exportCsv() {
    const fileName = csvFileName({ ...naming, date: new Date() });
    saveTextFile(fileName, await rowsToCsv(rows, columns));
    setMessage(tPlural(complete ? 'export_doneAll' : 'export_doneLoaded', rows.length, [formatNumber(rows.length), fileName]));
  }

  async function copyDomains() {
    const domains = domainsOf(naming.report, rows);
    try {
      await navigator.clipboard.writeText(domains.join('\n'));
      setMessage(tPlural('export_copied', domains.length, [formatNumber(domains.length)]));
    } catch {
      setMessage(t('export_copyRefused'));
    }
  }

  return (
    <div className={`flex flex-wrap items-center gap-2 text-xs ${mutedText}`}>
      <Button onClick={() => void exportCsv()} disabled={disabled} className="text-xs">
        {t('export_csv')}
      </Button>
      {hasDomains(naming.report) && (
        <Button onClick={() => void copyDomains()} disabled={disabled} className="text-xs">
          {t('export_copyDomains')}
        </Button>
      )}
      <p role="status" className="min-w-0 break-all">
        {message}
      </p>
    </div>
  );
}
