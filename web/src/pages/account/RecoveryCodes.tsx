import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { saveBlob } from '../../lib/download';
import { recoveryCodesText } from '../../lib/twoFactor';

/**
 * Recovery codes, shown once (the server keeps only hashes): copy them, download them, and
 * say "done" only when they are saved.
 */
export function RecoveryCodes({ codes, account, onDone }: { codes: string[]; account: string; onDone: () => void }) {
  const site = typeof window === 'undefined' ? 'Pulse' : window.location.host;
  const text = () => recoveryCodesText(codes, { account, site, date: new Date() });
  return (
    <div className="recovery-codes">
      <Alert tone="warning" title="Save these recovery codes now">
        They are shown only this once. If you lose your phone, each code lets you sign in one time instead of a code from
        your app. Keep them somewhere safe, like a password manager: anyone with a code and your password can sign in as
        you.
      </Alert>
      <ol className="code-list" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <CopyButton text={codes.join('\n')} label="Copy codes" />
        <Button
          variant="secondary"
          onClick={() => saveBlob(new Blob([text()], { type: 'text/plain;charset=utf-8' }), 'pulse-recovery-codes.txt')}
        >
          Download .txt
        </Button>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </div>
  );
}
