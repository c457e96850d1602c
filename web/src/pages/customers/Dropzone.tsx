import { useId, useRef, useState, type DragEvent } from 'react';

/** Drag a file here, or click / press Enter to browse. */
export function Dropzone({ file, onFile, disabled }: { file: File | null; onFile: (f: File) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files?.[0];
    if (f && !disabled) onFile(f);
  };

  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}${file ? ' dropzone-has-file' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <div className="dropzone-icon" aria-hidden="true">
        ⇪
      </div>
      {file ? (
        <p>
          <strong>{file.name}</strong> <span className="muted">({(file.size / 1024).toFixed(1)} KB)</span>
        </p>
      ) : (
        <p>
          <strong>Drop a CSV file here</strong>
          <br />
          <span className="muted">or</span>
        </p>
      )}
      <label htmlFor={id} className={`btn btn-secondary${disabled ? ' is-disabled' : ''}`}>
        {file ? 'Choose another file' : 'Browse files'}
      </label>
      <input
        ref={input}
        id={id}
        className="visually-hidden-input"
        type="file"
        accept=".csv,text/csv,text/plain"
        disabled={disabled}
        aria-label="CSV file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onFile(f);
          // Allow picking the same file again after a change.
          if (input.current) input.current.value = '';
        }}
      />
    </div>
  );
}
