import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The frame of the pages customers open from an email or a shared link (no account, no
 * app navigation): one card, phone first. `title` is the tab's title.
 */
export function PublicShell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="public-page">
      <title>{title}</title>
      <div className="public-card">{children}</div>
      <p className="public-foot muted small">
        <span className="brand-mark" aria-hidden="true">
          ◉
        </span>{' '}
        Feedback collected with Pulse
      </p>
    </main>
  );
}

/**
 * The heading of a step; it takes the focus when it appears after the first (an answer was
 * sent, the link turned out final), so keyboard and screen reader users land on the news.
 */
export function StepHeading({ children, focus = false }: { children: ReactNode; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h1 ref={ref} tabIndex={-1} className="public-title">
      {children}
    </h1>
  );
}

/** A page that only says something: an expired link, a form that is off. */
export function PublicNotice({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <PublicShell title={title}>
      <div role="status">
        <StepHeading>{title}</StepHeading>
        {children && <p className="muted">{children}</p>}
      </div>
    </PublicShell>
  );
}
