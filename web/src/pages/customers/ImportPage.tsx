import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { DateFormat, OnConflict } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { ImportReport } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { SelectField } from '../../components/Field';
import { saveBlob } from '../../lib/download';
import { FIELD_ALIASES, FIELD_LABELS, IMPORT_FIELDS, needsDateFormat, previewVerdict } from '../../lib/importReport';
import { useWorkspace } from '../../workspace/context';
import { Dropzone } from './Dropzone';
import { DatedTodayNotice, ImportColumns, ImportCounts, ImportErrors, ImportPreviewRows, RejectedRowsDownload } from './ImportReportView';

type Step = 'choose' | 'preview' | 'done';

function UploadProgress({ fraction, label }: { fraction: number; label: string }) {
  const pct = Math.round(fraction * 100);
  return (
    <div className="progress">
      <label htmlFor="upload-progress">
        {label} {pct < 100 ? `${pct}%` : '— processing…'}
      </label>
      <progress id="upload-progress" max={100} value={pct} />
    </div>
  );
}

/** The header names each field accepts, for people preparing a file. */
function RecognisedColumns() {
  return (
    <details className="import-help">
      <summary>Column names Pulse recognises</summary>
      <dl>
        {IMPORT_FIELDS.map((f) => (
          <div key={f}>
            <dt>
              {FIELD_LABELS[f]}
              {f === 'satisfaction_score' ? ' (1 to 5)' : f === 'review' || f === 'feedback_at' ? ' (optional)' : ''}
            </dt>
            <dd>
              {FIELD_ALIASES[f].map((a, i) => (
                <span key={a}>
                  {i > 0 && ', '}
                  <code>{a}</code>
                </span>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <p className="small">
        Upper or lower case does not matter, nor does the order of the columns. Other columns are ignored. Dates can be
        written 2025-12-31, 2025-12-31 14:30 (UTC) or, with the date format below, 31/12/2025 or 12/31/2025 (also with dots or
        dashes). A row without a date is dated on the day of the import.
      </p>
    </details>
  );
}

/** Import flow: choose a file → dry-run preview → commit → report. */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [onConflict, setOnConflict] = useState<OnConflict>('skip');
  const [dateFormat, setDateFormat] = useState<DateFormat | ''>('');
  const [progress, setProgress] = useState(0);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [step, setStep] = useState<Step>('choose');
  const qc = useQueryClient();
  const { wid, customers, path, workspace } = useWorkspace();

  const run = useMutation({
    mutationFn: (dryRun: boolean) => {
      setProgress(0);
      return customers.import(file!, { dryRun, onConflict, dateFormat: dateFormat || undefined, onProgress: setProgress });
    },
    onSuccess: (report, dryRun) => {
      if (dryRun) {
        setPreview(report);
        setStep('preview');
      } else {
        setStep('done');
        qc.invalidateQueries({ queryKey: queryKeys.customers(wid) });
        qc.invalidateQueries({ queryKey: queryKeys.analytics(wid) });
      }
    },
  });

  const sample = useMutation({
    mutationFn: customers.sampleCsv,
    onSuccess: (blob) => saveBlob(blob, 'pulse-sample.csv'),
  });

  const choose = (f: File) => {
    setFile(f);
    setPreview(null);
    setStep('choose');
    run.reset();
  };

  const restart = () => {
    setFile(null);
    setPreview(null);
    setStep('choose');
    run.reset();
  };

  /** A changed option makes the preview stale: preview again before importing. */
  const invalidatePreview = () => {
    setPreview(null);
    setStep('choose');
  };

  const verdict = preview ? previewVerdict(preview) : null;
  const writable = verdict?.writable ?? 0;
  const fileError = fieldErrors(run.error).file;

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <p>
          <Link to={path('customers')}>← Customers</Link>
        </p>
        <h1>Import customers from CSV</h1>
        <p className="muted">
          Into <strong>{workspace.name}</strong>.
        </p>
        <p className="muted">
          Your file needs a header row and, for each customer, a name, an email and a satisfaction score from 1 to 5; a review and
          the date of the feedback are optional. Nothing is saved until you confirm the preview.{' '}
          <a
            href={`/api/v1/workspaces/${wid}/customers/sample.csv`}
            onClick={(e) => {
              e.preventDefault();
              sample.mutate();
            }}
          >
            Download sample CSV
          </a>
        </p>
        <RecognisedColumns />
        {sample.isError && <Alert tone="error">{errorMessage(sample.error)}</Alert>}
      </div>

      {step !== 'done' && (
        <section className="card">
          <h2 className="step-title">1. Choose a file</h2>
          <Dropzone file={file} onFile={choose} disabled={run.isPending} />
          <fieldset className="radio-group">
            <legend>When an email already exists</legend>
            <label>
              <input type="radio" name="on_conflict" value="skip" checked={onConflict === 'skip'} onChange={() => { setOnConflict('skip'); invalidatePreview(); }} />
              Skip the row (keep what is stored)
            </label>
            <label>
              <input type="radio" name="on_conflict" value="update" checked={onConflict === 'update'} onChange={() => { setOnConflict('update'); invalidatePreview(); }} />
              Update the stored customer (corrects their latest response)
            </label>
            <label>
              <input type="radio" name="on_conflict" value="append" checked={onConflict === 'append'} onChange={() => { setOnConflict('append'); invalidatePreview(); }} />
              Add the row to the customer&apos;s feedback history (an identical response is skipped)
            </label>
          </fieldset>
          <SelectField
            label="Date format"
            name="date_format"
            className="select-auto"
            value={dateFormat}
            disabled={run.isPending}
            hint="How to read dates such as 03/04/2025. Dates written year first, like 2025-12-31, are always understood."
            onChange={(e) => {
              setDateFormat(e.target.value as DateFormat | '');
              invalidatePreview();
            }}
          >
            <option value="">Automatic (year first)</option>
            <option value="dmy">Day first (31/12/2025)</option>
            <option value="mdy">Month first (12/31/2025)</option>
          </SelectField>
          {fileError && <p className="field-error">{fileError}</p>}
          {run.isError && <Alert tone="error">{errorMessage(run.error)}</Alert>}
          {run.isPending && <UploadProgress fraction={progress} label={run.variables === false ? 'Importing' : 'Uploading for preview'} />}
          {step === 'choose' && (
            <Button disabled={!file} busy={run.isPending} onClick={() => run.mutate(true)}>
              Preview import
            </Button>
          )}
        </section>
      )}

      {step === 'preview' && preview && (
        <section className="card" aria-labelledby="preview-h">
          <h2 id="preview-h" className="step-title">
            2. Check the preview
          </h2>
          <ImportCounts report={preview} dryRun />
          <ImportColumns report={preview} />
          <DatedTodayNotice report={preview} dryRun />
          <ImportPreviewRows report={preview} />
          <ImportErrors report={preview} />
          {dateFormat === '' && needsDateFormat(preview) && (
            <Alert tone="info">
              Some dates look like 31/12/2025 or 12/31/2025. Choose which comes first under “Date format” above, then preview
              again.
            </Alert>
          )}
          <RejectedRowsDownload report={preview} />
          {writable === 0 ? (
            <Alert tone="warning">Nothing to import: every row is invalid or would be skipped.</Alert>
          ) : (
            <p>
              {verdict?.allGood
                ? 'Everything looks good.'
                : preview.invalid > 0
                  ? 'The valid rows will be imported; the invalid ones are left out.'
                  : 'Check the notes above, then import.'}
            </p>
          )}
          <div className="dialog-actions">
            <Button variant="secondary" onClick={restart} disabled={run.isPending}>
              Cancel
            </Button>
            <Button disabled={writable === 0} busy={run.isPending} onClick={() => run.mutate(false)}>
              Import {writable.toLocaleString()} row{writable === 1 ? '' : 's'}
            </Button>
          </div>
        </section>
      )}

      {step === 'done' && run.data && (
        <section className="card" aria-labelledby="done-h">
          <Alert tone="success" title="Import complete">
            {file?.name} was imported.
          </Alert>
          <h2 id="done-h" className="step-title">
            Report
          </h2>
          <ImportCounts report={run.data} dryRun={false} />
          <DatedTodayNotice report={run.data} dryRun={false} />
          <ImportErrors report={run.data} />
          <RejectedRowsDownload report={run.data} />
          <div className="dialog-actions">
            <Button variant="secondary" onClick={restart}>
              Import another file
            </Button>
            <Link className="btn btn-secondary" to={path('customers')}>
              View customers
            </Link>
            <Link className="btn btn-primary" to={path()}>
              See the dashboard
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}
