import { useEffect, useState } from 'react';
import { Button } from './Button';

type State = 'idle' | 'copied' | 'failed';

/**
 * Copies `text` to the clipboard and says so for a moment. When the browser refuses (no
 * clipboard outside HTTPS, or a denied permission) it says to copy by hand instead.
 */
export function CopyButton({
  text,
  label = 'Copy',
  variant = 'secondary',
  'aria-label': ariaLabel,
}: {
  text: string;
  label?: string;
  variant?: 'primary' | 'secondary' | 'ghost';
  'aria-label'?: string;
}) {
  const [state, setState] = useState<State>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy-button">
      <Button variant={variant} onClick={() => void copy()} aria-label={ariaLabel}>
        {state === 'copied' ? 'Copied' : label}
      </Button>
      <span role="status" className={state === 'failed' ? 'field-error small' : 'sr-only'}>
        {state === 'copied' ? 'Copied to the clipboard.' : state === 'failed' ? 'Could not copy: select the text and copy it yourself.' : ''}
      </span>
    </span>
  );
}
