import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { UserRead } from '../../api/types';
import { fail, fakeServer, ok, type Call, type Reply } from '../../test/fakeServer';
import { makeUser, makeWorkspace, testQueryClient } from '../../test/workspace';
import { AccountPage } from './AccountPage';

afterEach(() => {
  api.setTransport();
  vi.restoreAllMocks();
});

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><script>alert(1)</script><path d="M0 0h1v1H0z"/></svg>';
const CODES = Array.from({ length: 10 }, (_, i) => `AAAA-BB${String(i).padStart(2, '0')}`);

/** The account page with a fake server whose `me` follows what the routes change. */
function setup(initial: UserRead, routes: (state: { me: UserRead }) => Record<string, Reply | ((c: Call) => Reply)>) {
  const state = { me: initial };
  const server = fakeServer({
    'GET /users/me': () => ok(state.me),
    'GET /workspaces': ok({ items: [makeWorkspace({ settings: { ...makeWorkspace().settings, require_two_factor: true } })] }),
    'GET /auth/sessions': ok({ items: [] }),
    'GET /workspaces/7/notifications/me': ok({ low_score_email: true, weekly_digest: true }),
    ...routes(state),
  });
  api.setTransport(server.transport);
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={testQueryClient(initial)}>
      <MemoryRouter initialEntries={['/account#two-factor']}>
        <Routes>
          <Route path="/account" element={<AccountPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const card = () => screen.getByRole('region', { name: 'Two-factor authentication' });
  return { calls: server.calls, user, card };
}

const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET').map((c) => [c.url, c.data]);

describe('Two-factor on the account page', () => {
  it('turns on: password, the QR code as an image, a code, then the recovery codes once', async () => {
    const { calls, user, card } = setup(makeUser(), (state) => ({
      'POST /auth/2fa/setup': (c) =>
        (c.data as { password: string }).password === 'right'
          ? ok({ secret: 'JBSWY3DPEHPK3PXP', otpauth_uri: 'otpauth://totp/Pulse:ada?secret=JBSWY3DPEHPK3PXP', qr_svg: SVG })
          : fail(422, 'validation_failed', { fields: { password: ['is not your current password'] } }),
      'POST /auth/2fa/enable': (c) => {
        if ((c.data as { code: string }).code !== '123456') return fail(401, 'invalid_code');
        state.me = { ...state.me, two_factor_enabled: true };
        return ok({ recovery_codes: CODES });
      },
    }));
    expect(within(card()).getByText('Off')).toBeInTheDocument();
    await user.click(within(card()).getByRole('button', { name: 'Turn on' }));

    await user.click(within(card()).getByRole('button', { name: 'Continue' }));
    expect(within(card()).getByText('Enter your password.')).toBeInTheDocument();
    await user.type(within(card()).getByLabelText('Password'), 'wrong');
    await user.click(within(card()).getByRole('button', { name: 'Continue' }));
    expect(await within(card()).findByText('Is not your current password')).toBeInTheDocument();
    await user.clear(within(card()).getByLabelText('Password'));
    await user.type(within(card()).getByLabelText('Password'), 'right');
    await user.click(within(card()).getByRole('button', { name: 'Continue' }));

    // The server's SVG is an image, never markup in the page (its script would run).
    const qr = await within(card()).findByRole('img', { name: /QR code/ });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(document.querySelector('script')).toBeNull();
    expect(within(card()).getByLabelText('Setup key')).toHaveValue('JBSW Y3DP EHPK 3PXP');
    expect(within(card()).getByRole('link', { name: /authenticator app/ })).toHaveAttribute('href', expect.stringMatching(/^otpauth:/));

    await user.type(within(card()).getByLabelText('6-digit code'), '654321');
    await user.click(within(card()).getByRole('button', { name: 'Turn on two-factor' }));
    expect(await within(card()).findByText('This code is not valid, or it has already been used.')).toBeInTheDocument();
    await user.clear(within(card()).getByLabelText('6-digit code'));
    await user.type(within(card()).getByLabelText('6-digit code'), '123 456');
    await user.click(within(card()).getByRole('button', { name: 'Turn on two-factor' }));

    const list = await within(card()).findByRole('list', { name: 'Recovery codes' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(CODES);
    expect(within(card()).getByText('Save these recovery codes now')).toBeInTheDocument();
    // The status follows the server while the codes stay on screen.
    await waitFor(() => expect(within(card()).getByText('On')).toBeInTheDocument());

    await user.click(within(card()).getByRole('button', { name: 'Copy codes' }));
    expect(await navigator.clipboard.readText()).toBe(CODES.join('\n'));
    expect(within(card()).getByText('Copied to the clipboard.')).toBeInTheDocument();

    let saved: Blob | undefined;
    let filename = '';
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      saved = b as Blob;
      return 'blob:codes';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      filename = this.download;
    });
    await user.click(within(card()).getByRole('button', { name: 'Download .txt' }));
    expect(filename).toBe('pulse-recovery-codes.txt');
    const text = await new Promise<string>((resolve) => {
      // jsdom's Blob has no text(): read it the old way.
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(saved!);
    });
    expect(text).toContain('Pulse recovery codes for ada');
    for (const c of CODES) expect(text).toContain(`\n${c}\n`);

    await user.click(within(card()).getByRole('button', { name: 'I have saved them' }));
    expect(within(card()).queryByRole('list', { name: 'Recovery codes' })).not.toBeInTheDocument();
    expect(within(card()).getByText(/Two-factor authentication is on/)).toBeInTheDocument();
    expect(within(card()).getByRole('button', { name: 'Turn off' })).toBeInTheDocument();
    expect(writes(calls)).toEqual([
      ['/auth/2fa/setup', { password: 'wrong' }],
      ['/auth/2fa/setup', { password: 'right' }],
      ['/auth/2fa/enable', { code: '654321' }],
      ['/auth/2fa/enable', { code: '123456' }],
    ]);
  });

  it('turns off with the password and a code, warning about other devices and workspaces that require it', async () => {
    const { calls, user, card } = setup(makeUser({ two_factor_enabled: true }), (state) => ({
      'POST /auth/2fa/disable': (c) => {
        if ((c.data as { code: string }).code !== '123456') return fail(401, 'invalid_code');
        state.me = { ...state.me, two_factor_enabled: false };
        return ok(null);
      },
    }));
    expect(within(card()).getByText('On')).toBeInTheDocument();
    await user.click(within(card()).getByRole('button', { name: 'Turn off' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn off two-factor authentication?' });
    expect(dialog).toHaveTextContent('signed out on every other device');
    expect(await within(dialog).findByRole('link', { name: 'Acme' })).toHaveAttribute('href', '/w/acme');

    await user.click(within(dialog).getByRole('button', { name: 'Turn off two-factor' }));
    expect(within(dialog).getByText('Enter your password.')).toBeInTheDocument();
    expect(writes(calls)).toEqual([]);

    await user.type(within(dialog).getByLabelText('Password'), 'pw');
    await user.type(within(dialog).getByLabelText('Code from your app, or a recovery code'), '000000');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off two-factor' }));
    expect(await within(dialog).findByText('This code is not valid, or it has already been used.')).toBeInTheDocument();

    await user.clear(within(dialog).getByLabelText('Code from your app, or a recovery code'));
    await user.type(within(dialog).getByLabelText('Code from your app, or a recovery code'), '123456');
    await user.click(within(dialog).getByRole('button', { name: 'Turn off two-factor' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await within(card()).findByText(/Two-factor authentication is off/)).toBeInTheDocument();
    await waitFor(() => expect(within(card()).getByRole('button', { name: 'Turn on' })).toBeInTheDocument());
    expect(writes(calls)).toEqual([
      ['/auth/2fa/disable', { password: 'pw', code: '000000' }],
      ['/auth/2fa/disable', { password: 'pw', code: '123456' }],
    ]);
  });

  it('makes new recovery codes with a recovery code, and shows them once', async () => {
    const { calls, user, card } = setup(makeUser({ two_factor_enabled: true }), () => ({
      'POST /auth/2fa/recovery-codes': ok({ recovery_codes: CODES }),
    }));
    await user.click(within(card()).getByRole('button', { name: 'New recovery codes' }));
    const dialog = screen.getByRole('dialog', { name: 'Make new recovery codes?' });
    expect(dialog).toHaveTextContent('current ones stop working');
    await user.type(within(dialog).getByLabelText('Password'), 'pw');
    await user.type(within(dialog).getByLabelText('Code from your app, or a recovery code'), 'zzzz-yyyy');
    await user.click(within(dialog).getByRole('button', { name: 'Make new codes' }));
    expect(await within(card()).findByRole('list', { name: 'Recovery codes' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(writes(calls)).toEqual([['/auth/2fa/recovery-codes', { password: 'pw', code: 'zzzzyyyy' }]]);
    await user.click(within(card()).getByRole('button', { name: 'I have saved them' }));
    expect(within(card()).getByText(/old ones no longer work/)).toBeInTheDocument();
  });
});
