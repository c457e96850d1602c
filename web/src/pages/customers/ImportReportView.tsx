import type { ImportReport } from '../../api/types';

export function ImportCounts({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const items = [
    { label: 'Rows read', value: report.total_rows, tone: '' },
    { label: dryRun ? 'Will be added' : 'Added', value: report.inserted, tone: 'good' },
    { label: dryRun ? 'Will be updated' : 'Updated', value: report.updated, tone: 'good' },
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
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e, i) => (
              <tr key={`${e.row}-${e.field}-${i}`}>
                <td>{e.row}</td>
                <td>
                  <code>{e.field}</code>
                </td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.truncated_errors > 0 && <p className="muted small">…and {report.truncated_errors.toLocaleString()} more errors not listed.</p>}
    </div>
  );
}
