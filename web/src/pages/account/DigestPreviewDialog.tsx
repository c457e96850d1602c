import type { DigestPreview } from '../../api/types';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';

/**
 * This week's digest as it would be mailed. The HTML goes into a sandboxed frame (no
 * scripts, no same-origin access, no forms, no navigation): never into this page's DOM.
 */
export function DigestPreviewDialog({ preview, onClose }: { preview: DigestPreview; onClose: () => void }) {
  return (
    <Dialog open wide title="This week’s digest" onClose={onClose}>
      <div className="email-preview">
        <p className="email-subject">
          <span className="muted">Subject:</span> <strong data-testid="digest-subject">{preview.subject}</strong>
        </p>
        <iframe className="digest-frame" title="Digest email (HTML version)" sandbox="" srcDoc={preview.html} />
      </div>
      <details className="digest-text">
        <summary>Text version</summary>
        <pre className="code-block" aria-label="Digest email (text version)">
          {preview.text}
        </pre>
      </details>
      <p className="muted small">A preview of the week so far: nothing was sent.</p>
      <div className="dialog-actions">
        <Button onClick={onClose}>Done</Button>
      </div>
    </Dialog>
  );
}
