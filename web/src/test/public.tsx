import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { api } from '../api/client';
import { AppRoutes } from '../App';
import { fakeServer, type Call, type Reply } from './fakeServer';
import { testQueryClient } from './workspace';

/** Open `entry` in the whole app, nobody logged in, against a fake server; returns its calls. */
export function openPublic(entry: string, routes: Record<string, Reply | ((c: Call) => Reply)>): Call[] {
  const server = fakeServer(routes);
  api.setTransport(server.transport);
  render(
    <QueryClientProvider client={testQueryClient()}>
      <MemoryRouter initialEntries={[entry]}>
        <AppRoutes />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return server.calls;
}

export const writes = (calls: Call[]) => calls.filter((c) => c.method !== 'GET');
