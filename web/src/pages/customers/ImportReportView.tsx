import type { ImportReport } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { saveBlob } from '../../lib/download';
import { formatFeedbackDate } from '../../lib/format';
import { countRows, datedTodayMessage, fieldLabel, fileHeaderFor, planColumns, rejectedRowsBlob } from '../../lib/importReport';

/** The most rows the server's rejected-rows file holds. */
const REJECTED_CSV_MAX_ROWS = 1000;

export function ImportCounts({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const items = [
    { label: 'Rows read', value: report.total_rows, tone: '' },
    { label: dryRun ? 'Will be added' : 'Added', value: report.inserted, tone: 'good' },
    { label: dryRun ? 'Will be updated' : 'Updated', value: report.updated, tone: 'good' },
    { label: dryRun ? 'Will be appended' : 'Appended', value: report.appended, tone: 'good' },
    { label: dryRun ? 'Will be skipped' : 'Skipped', value: report.skipped, tone: 'muted' },
    { label: 'Invalid', value: report.invalid, tone: report.invalid ? 'bad' : 'muted' },
  ];
  return (
    <dl className="import-counts" data-testid={dryRun ? 'preview-counts' : 'final-counts'}>
      {items.map((i) => (
        <div key={i.label} className={`count count-${i.tone}`}>
          <dt>{i.label}</dt>
          <dd>{i.value.toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Which column of the file fills which field, and which columns are ignored. */
export function ImportColumns({ report }: { report: ImportReport }) {
  const plan = planColumns(report.columns);
  if (plan.all.length === 0) return null;
  return (
    <div className="import-section">
      <h3>Columns</h3>
      <div className="table-wrap">
        <table className="table table-compact" aria-label="Columns">
          <thead>
            <tr>
              <th scope="col">Column in your file</th>
              <th scope="col">Saved as</th>
            </tr>
          </thead>
          <tbody>
            {plan.all.map((c, i) => (
              <tr key={`${i}-${c.header}`} className={c.label ? undefined : 'row-ignored'}>
                <td>{c.header}</td>
                <td>{c.label ?? <span className="badge badge-amber">Ignored</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {plan.ignored.length > 0 && (
        <Alert tone="warning" title={plan.ignored.length === 1 ? '1 column will be ignored' : `${plan.ignored.length} columns will be ignored`}>
          <p className="import-ignored">
            Nothing is read from {plan.ignored.length === 1 ? 'the column' : 'the columns'}{' '}
            {plan.ignored.map((h, i) => (
              <span key={`${i}-${h}`}>
                {i > 0 && ', '}
                <strong>{h}</strong>
              </span>
            ))}
            . If {plan.ignored.length === 1 ? 'it holds' : 'one of them holds'} a name, email, score, review or date, rename its
            header (see “Column names Pulse recognises” above) and preview again.
          </p>
        </Alert>
      )}
    </div>
  );
}

/** The first valid rows, as they will be stored. */
export function ImportPreviewRows({ report }: { report: ImportReport }) {
  const rows = report.preview ?? [];
  if (rows.length === 0) return null;
  return (
    <div className="import-section">
      <h3>
        First rows as they will be saved{' '}
        <span className="muted small">({rows.length === 1 ? 'the only valid row' : `the first ${rows.length} valid rows`})</span>
      </h3>
      <div className="table-wrap">
        <table className="table table-compact" aria-label="First rows as they will be saved">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Score</th>
              <th scope="col">Review</th>
              <th scope="col">Feedback date</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.row}>
                <td>{r.row}</td>
                <td>{r.name}</td>
                <td className="cell-break">{r.email}</td>
                <td>{r.satisfaction_score}</td>
                <td className="cell-clip" title={r.review || undefined}>
                  {r.review || <span className="muted">(none)</span>}
                </td>
                <td className="nowrap">{formatFeedbackDate(r.feedback_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** "N rows have no date and will be dated today", when some have none. */
export function DatedTodayNotice({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const message = datedTodayMessage(report.dated_today, dryRun);
  if (!message) return null;
  return (
    <Alert tone="warning">
      {message}
      {dryRun && ' To keep the real date, add it to the file (for example 2025-12-31) and preview again.'}
    </Alert>
  );
}

export function ImportErrors({ report }: { report: ImportReport }) {
  if (report.errors.length === 0) return null;
  return (
    <div className="import-errors">
      <h3>
        Rows with errors{' '}
        <span className="muted small">(they will be left out; fix them in the file and import again)</span>
      </h3>
      <div className="table-wrap table-scroll">
        <table className="table table-compact" aria-label="Row errors">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Value in the file</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e, i) => {
              const header = fileHeaderFor(e.field, report.columns);
              return (
                <tr key={`${e.row}-${e.field}-${i}`}>
                  <td>{e.row}</td>
                  <td>
                    {fieldLabel(e.field)}
                    {header && <span className="muted small"> (“{header}”)</span>}
                  </td>
                  <td className="cell-break">
                    {e.value ? (
                      <code>{e.value}</code>
                    ) : (
                      // `value` is missing in a report from a server older than the field.
                      <span className="muted">{e.value === '' ? '(empty)' : '—'}</span>
                    )}
                  </td>
                  <td>{e.message}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {report.truncated_errors > 0 && <p className="muted small">…and {report.truncated_errors.toLocaleString()} more errors not listed.</p>}
    </div>
  );
}

/** The invalid rows as a CSV to fix and import again. */
export function RejectedRowsDownload({ report }: { report: ImportReport }) {
  const csv = report.rejected_csv;
  if (csv === null || csv === undefined) return null;
  const partial = report.invalid > REJECTED_CSV_MAX_ROWS;
  return (
    <div className="import-section import-rejected">
      <Button variant="secondary" onClick={() => saveBlob(rejectedRowsBlob(csv), 'rejected-rows.csv')}>
        Download rejected rows (CSV)
      </Button>
      <p className="muted small">
        {partial
          ? `The first ${REJECTED_CSV_MAX_ROWS.toLocaleString()} of the ${countRows(report.invalid)} left out, `
          : `The ${report.invalid === 1 ? 'row' : countRows(report.invalid)} left out, `}
        with your columns and a last column “error” saying what is wrong. Fix them in your spreadsheet, then import this
        file again (the “error” column is ignored).
      </p>
    </div>
  );
}
