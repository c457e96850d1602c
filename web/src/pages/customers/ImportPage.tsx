import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { customersApi, type OnConflict } from '../../api/endpoints';
import { errorMessage, fieldErrors } from '../../api/errors';
import type { ImportReport } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { saveBlob } from '../../lib/download';
import { Dropzone } from './Dropzone';
import { ImportCounts, ImportErrors } from './ImportReportView';

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

/** Import flow: choose a file → dry-run preview → commit → report. */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [onConflict, setOnConflict] = useState<OnConflict>('skip');
  const [progress, setProgress] = useState(0);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [step, setStep] = useState<Step>('choose');
  const qc = useQueryClient();

  const run = useMutation({
    mutationFn: (dryRun: boolean) => {
      setProgress(0);
      return customersApi.import(file!, { dryRun, onConflict, onProgress: setProgress });
    },
    onSuccess: (report, dryRun) => {
      if (dryRun) {
        setPreview(report);
        setStep('preview');
      } else {
        setStep('done');
        qc.invalidateQueries({ queryKey: ['customers'] });
        qc.invalidateQueries({ queryKey: ['analytics'] });
      }
    },
  });

  const sample = useMutation({
    mutationFn: customersApi.sampleCsv,
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

  const writable = preview ? preview.inserted + preview.updated : 0;
  const fileError = fieldErrors(run.error).file;

  return (
    <div className="page page-narrow">
      <div className="page-head">
        <p>
          <Link to="/customers">← Customers</Link>
        </p>
        <h1>Import customers from CSV</h1>
        <p className="muted">
          Columns: <code>name</code>, <code>email</code>, <code>satisfaction_score</code> (1–5), and optionally <code>review</code> and{' '}
          <code>feedback_at</code> (YYYY-MM-DD or an RFC 3339 time). Nothing is saved until you confirm the preview.{' '}
          <a
            href="/api/v1/customers/sample.csv"
            onClick={(e) => {
              e.preventDefault();
              sample.mutate();
            }}
          >
            Download sample CSV
          </a>
        </p>
        {sample.isError && <Alert tone="error">{errorMessage(sample.error)}</Alert>}
      </div>

      {step !== 'done' && (
        <section className="card">
          <h2 className="step-title">1. Choose a file</h2>
          <Dropzone file={file} onFile={choose} disabled={run.isPending} />
          <fieldset className="radio-group">
            <legend>When an email already exists</legend>
            <label>
              <input type="radio" name="on_conflict" value="skip" checked={onConflict === 'skip'} onChange={() => { setOnConflict('skip'); setPreview(null); setStep('choose'); }} />
              Skip the row (keep what is stored)
            </label>
            <label>
              <input type="radio" name="on_conflict" value="update" checked={onConflict === 'update'} onChange={() => { setOnConflict('update'); setPreview(null); setStep('choose'); }} />
              Update the stored customer
            </label>
          </fieldset>
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
          <ImportErrors report={preview} />
          {writable === 0 ? (
            <Alert tone="warning">Nothing to import: every row is invalid or would be skipped.</Alert>
          ) : (
            <p>
              {preview.invalid > 0 ? 'The valid rows will be imported; the invalid ones are left out.' : 'Everything looks good.'}
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
          <ImportErrors report={run.data} />
          <div className="dialog-actions">
            <Button variant="secondary" onClick={restart}>
              Import another file
            </Button>
            <Link className="btn btn-secondary" to="/customers">
              View customers
            </Link>
            <Link className="btn btn-primary" to="/">
              See the dashboard
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}
