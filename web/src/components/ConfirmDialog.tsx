import { useId, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/errors';
import { Alert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';

/**
 * "Are you sure?" for destructive or self-affecting actions. Cancel has the focus, so
 * Enter never confirms by accident. With `typeToConfirm`, the confirm button stays disabled
 * until that exact text is typed (e.g. a workspace's name before deleting it).
 * Mounted only while open.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = true,
  busy = false,
  error,
  blocked,
  typeToConfirm,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** The failed attempt, shown in the dialog. */
  error?: unknown;
  /** Why the action cannot be done now: shown instead of the confirm button. */
  blocked?: string;
  typeToConfirm?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState('');
  const inputId = useId();
  const matches = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <Dialog open title={title} onClose={onCancel}>
      <div className="confirm-text">{children}</div>
      {blocked && <Alert tone="warning">{blocked}</Alert>}
      {typeToConfirm !== undefined && !blocked && (
        <div className="field">
          <label htmlFor={inputId}>
            Type <strong>{typeToConfirm}</strong> to confirm
          </label>
          <input
            id={inputId}
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
        </div>
      )}
      {error !== undefined && error !== null && <Alert tone="error">{errorMessage(error)}</Alert>}
      <div className="dialog-actions">
        <Button variant="secondary" onClick={onCancel} autoFocus={typeToConfirm === undefined || Boolean(blocked)}>
          {blocked ? 'OK' : 'Cancel'}
        </Button>
        {!blocked && (
          <Button
            variant={danger ? 'danger' : 'primary'}
            busy={busy}
            disabled={!matches}
            onClick={() => {
              if (matches) onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        )}
      </div>
    </Dialog>
  );
}
