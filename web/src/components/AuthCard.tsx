import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The centred card every auth page sits in. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <Link to="/" className="brand brand-large" aria-label="Pulse home">
          <span className="brand-mark" aria-hidden="true">
            ◉
          </span>{' '}
          Pulse
        </Link>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
        {children}
        {footer && <div className="auth-footer">{footer}</div>}
      </div>
    </main>
  );
}
