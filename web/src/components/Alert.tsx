import type { ReactNode } from 'react';

type Tone = 'error' | 'success' | 'info' | 'warning';

export function Alert({ tone = 'info', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  // Errors interrupt (role=alert); the rest are polite status messages.
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <strong className="alert-title">{title}</strong>}
      <div>{children}</div>
    </div>
  );
}
