import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from '../../api/client';
import { fakeServer, ok } from '../../test/fakeServer';
import { renderInWorkspace } from '../../test/workspace';
import { FollowUpCards, FollowUpPanel } from './FollowUpCards';

afterEach(() => {
  api.setTransport();
});

const card = (id: 'open' | 'closed' | 'median' | 'recovery') => screen.getByTestId(`kpi-follow-ups-${id}`);

describe('follow-up KPI cards', () => {
  it('show the four figures', () => {
    render(<FollowUpCards stats={{ open: 4, closed: 12, median_hours_to_close: 30.5, recovery_rate_pct: 62.5 }} />);
    expect(card('open')).toHaveTextContent('Open4');
    expect(card('closed')).toHaveTextContent('Closed12');
    expect(card('median')).toHaveTextContent('30.5 h');
    expect(card('median')).toHaveTextContent('≈ 1.3 days');
    expect(card('recovery')).toHaveTextContent('62.5%');
  });

  it('say why a figure is missing instead of showing 0', () => {
    render(<FollowUpCards stats={{ open: 2, closed: 0, median_hours_to_close: null, recovery_rate_pct: null }} />);
    expect(card('median')).toHaveTextContent('—');
    expect(card('median')).not.toHaveTextContent(/—\s*h/);
    expect(card('median')).toHaveTextContent('has been closed yet');
    expect(card('recovery')).toHaveTextContent('—');
    expect(card('recovery')).not.toHaveTextContent('%');
    expect(card('recovery')).toHaveTextContent('responded again yet');
  });

  it('ask for the dashboard’s date range only, and link to the inbox', async () => {
    const server = fakeServer({
      'GET /workspaces/7/analytics/follow-ups': ok({ open: 1, closed: 3, median_hours_to_close: 5, recovery_rate_pct: 50 }),
    });
    api.setTransport(server.transport);
    renderInWorkspace(<FollowUpPanel from="2026-01-01" to="2026-01-31" otherFilters />);
    expect(await screen.findByTestId('kpi-follow-ups-closed')).toHaveTextContent('3');
    await waitFor(() => expect(server.calls[0].params).toEqual({ from: '2026-01-01', to: '2026-01-31' }));
    expect(screen.getByRole('region', { name: 'Follow-ups' })).toHaveTextContent('the score, sentiment and search filters do not apply');
    expect(screen.getByRole('link', { name: 'Open the follow-ups' })).toHaveAttribute('href', '/w/acme/follow-ups');
  });
});
