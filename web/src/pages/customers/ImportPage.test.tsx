import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import type { ImportReport } from '../../api/types';
import { saveBlob } from '../../lib/download';
import { fakeTransport, ok, type Call } from '../../test/fakeServer';
import { renderInWorkspace } from '../../test/workspace';
import { ImportPage } from './ImportPage';

vi.mock('../../lib/download', () => ({ saveBlob: vi.fn() }));

afterEach(() => {
  api.setTransport();
  vi.mocked(saveBlob).mockReset();
});

function report(patch: Partial<ImportReport> = {}): ImportReport {
  return {
    total_rows: 2,
    inserted: 2,
    updated: 0,
    appended: 0,
    skipped: 0,
    invalid: 0,
    errors: [],
    truncated_errors: 0,
    columns: [
      { header: 'name', field: 'name' },
      { header: 'email', field: 'email' },
      { header: 'satisfaction_score', field: 'satisfaction_score' },
      { header: 'feedback_at', field: 'feedback_at' },
    ],
    preview: [
      { row: 2, name: 'Ada', email: 'ada@example.com', satisfaction_score: 5, review: '', feedback_at: '2025-12-31T00:00:00Z' },
      { row: 3, name: 'Grace', email: 'grace@example.com', satisfaction_score: 4, review: 'Quick', feedback_at: '2025-12-30T00:00:00Z' },
    ],
    dated_today: 0,
    rejected_csv: null,
    ...patch,
  };
}

/** A file with a row without a date, a bad row and a column Pulse has no place for. */
const messy = report({
  total_rows: 3,
  inserted: 2,
  invalid: 1,
  columns: [
    { header: 'Full name', field: 'name' },
    { header: 'E-mail', field: 'email' },
    { header: 'Stars', field: 'satisfaction_score' },
    { header: 'Comment', field: 'review' },
    { header: 'Date', field: 'feedback_at' },
    { header: 'Notes', field: null },
  ],
  preview: [
    { row: 2, name: 'Ada', email: 'ada@example.com', satisfaction_score: 5, review: 'Lovely', feedback_at: '2025-12-31T00:00:00Z' },
    { row: 3, name: 'Grace', email: 'grace@example.com', satisfaction_score: 4, review: '', feedback_at: '2026-01-15T09:12:00Z' },
  ],
  dated_today: 1,
  errors: [{ row: 4, field: 'satisfaction_score', message: 'must be an integer from 1 to 5', value: '11' }],
  rejected_csv: 'Full name,E-mail,Stars,Comment,Date,Notes,error\nBad,bad@example.com,11,,,,Stars: must be an integer from 1 to 5\n',
});

function renderPage() {
  renderInWorkspace(<ImportPage />, { entry: '/w/acme/customers/import' });
}

async function chooseAndPreview() {
  await userEvent.upload(screen.getByLabelText('CSV file'), new File(['x'], 'feedback.csv', { type: 'text/csv' }));
  await userEvent.click(screen.getByRole('button', { name: 'Preview import' }));
}

function imports(calls: Call[]) {
  // The current workspace's route: /workspaces/{wid}/customers/import.
  return calls.filter((c) => c.url === '/workspaces/7/customers/import');
}

describe('ImportPage', () => {
  it('offers the date formats in plain words, automatic first', () => {
    renderPage();
    const select = screen.getByLabelText('Date format');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Automatic (year first)',
      'Day first (31/12/2025)',
      'Month first (12/31/2025)',
    ]);
    expect(select).toHaveValue('');
    expect(screen.queryByText(/RFC 3339/)).not.toBeInTheDocument();
  });

  it('sends the chosen date format with the preview and with the import', async () => {
    const { transport, calls } = fakeTransport((c) => ok(c.params?.dry_run ? messy : { ...messy, preview: [] }));
    api.setTransport(transport);
    renderPage();
    await userEvent.selectOptions(screen.getByLabelText('Date format'), 'Day first (31/12/2025)');
    await chooseAndPreview();
    await screen.findByTestId('preview-counts');
    await userEvent.click(screen.getByRole('button', { name: 'Import 2 rows' }));
    await screen.findByText('Import complete');
    expect(imports(calls).map((c) => c.params)).toEqual([
      { dry_run: true, on_conflict: 'skip', date_format: 'dmy' },
      { dry_run: false, on_conflict: 'skip', date_format: 'dmy' },
    ]);
  });

  it('sends no date format when automatic', async () => {
    const { transport, calls } = fakeTransport(() => ok(report()));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    await screen.findByTestId('preview-counts');
    expect(imports(calls)[0].params).toEqual({ dry_run: true, on_conflict: 'skip' });
  });

  it('says everything looks good only for a clean file, and shows the rows as they will be saved', async () => {
    const { transport } = fakeTransport(() => ok(report()));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    expect(await screen.findByText('Everything looks good.')).toBeInTheDocument();
    const rows = screen.getByRole('table', { name: 'First rows as they will be saved' });
    expect(within(rows).getAllByRole('row')).toHaveLength(3);
    expect(within(rows).getByRole('row', { name: /Ada/ })).toHaveTextContent('ada@example.com');
    expect(screen.queryByRole('table', { name: 'Row errors' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Download rejected rows (CSV)' })).not.toBeInTheDocument();
  });

  it('shows what a messy file will do: mapped and ignored columns, missing dates, bad values', async () => {
    const { transport } = fakeTransport(() => ok(messy));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    await screen.findByTestId('preview-counts');

    const columns = screen.getByRole('table', { name: 'Columns' });
    expect(within(columns).getByRole('row', { name: /Full name/ })).toHaveTextContent('Name');
    expect(within(columns).getByRole('row', { name: /E-mail/ })).toHaveTextContent('Email');
    expect(within(columns).getByRole('row', { name: /Stars/ })).toHaveTextContent('Satisfaction score');
    expect(within(columns).getByRole('row', { name: /Notes/ })).toHaveTextContent(/ignored/i);
    expect(screen.getByText('1 column will be ignored')).toBeInTheDocument();

    expect(screen.getByText(/1 row has no date and will be dated today\./)).toBeInTheDocument();

    const errors = screen.getByRole('table', { name: 'Row errors' });
    expect(within(errors).getByRole('columnheader', { name: 'Value in the file' })).toBeInTheDocument();
    const bad = within(errors).getAllByRole('row')[1];
    expect(bad).toHaveTextContent('4');
    expect(bad).toHaveTextContent('Satisfaction score');
    expect(bad).toHaveTextContent('“Stars”');
    expect(bad).toHaveTextContent('11');
    expect(bad).toHaveTextContent('must be an integer from 1 to 5');

    expect(screen.queryByText('Everything looks good.')).not.toBeInTheDocument();
    expect(screen.getByText('The valid rows will be imported; the invalid ones are left out.')).toBeInTheDocument();
  });

  it('never says everything looks good when a column is ignored or a date is missing', async () => {
    const { transport } = fakeTransport(() =>
      ok(report({ dated_today: 2, columns: [...report().columns, { header: 'Notes', field: null }] })),
    );
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    expect(await screen.findByText('Check the notes above, then import.')).toBeInTheDocument();
    expect(screen.queryByText('Everything looks good.')).not.toBeInTheDocument();
    expect(screen.getByText(/2 rows have no date and will be dated today\./)).toBeInTheDocument();
  });

  it('downloads the rejected rows as a CSV', async () => {
    const { transport } = fakeTransport(() => ok(messy));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    await userEvent.click(await screen.findByRole('button', { name: 'Download rejected rows (CSV)' }));
    expect(saveBlob).toHaveBeenCalledTimes(1);
    const [blob, name] = vi.mocked(saveBlob).mock.calls[0];
    expect(name).toBe('rejected-rows.csv');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(screen.getByText(/import this file again/)).toBeInTheDocument();
  });

  it('says when the bad value was an empty cell', async () => {
    const { transport } = fakeTransport(() =>
      ok(report({ total_rows: 3, invalid: 1, errors: [{ row: 4, field: 'name', message: 'is required', value: '' }], rejected_csv: 'x' })),
    );
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    const errors = await screen.findByRole('table', { name: 'Row errors' });
    expect(within(errors).getAllByRole('row')[1]).toHaveTextContent(/^4Name\(empty\)is required$/);
  });

  it('suggests a date format when dates like 31/12/2025 were refused', async () => {
    const { transport } = fakeTransport(() =>
      ok(
        report({
          total_rows: 3,
          invalid: 1,
          errors: [{ row: 4, field: 'feedback_at', message: 'is ambiguous', value: '03/04/2025' }],
          rejected_csv: 'name,email,satisfaction_score,feedback_at,error\n',
        }),
      ),
    );
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    expect(await screen.findByText(/Choose which comes first under “Date format” above/)).toBeInTheDocument();
  });

  it('drops a preview made with another date format', async () => {
    const { transport } = fakeTransport(() => ok(report()));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    await screen.findByTestId('preview-counts');
    await userEvent.selectOptions(screen.getByLabelText('Date format'), 'Month first (12/31/2025)');
    expect(screen.queryByTestId('preview-counts')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Preview import' })).toBeEnabled();
  });

  it('copes with a report from a server without the new fields', async () => {
    const { columns: _c, preview: _p, dated_today: _d, rejected_csv: _r, ...old } = report();
    const { transport } = fakeTransport(() => ok({ ...old, errors: [{ row: 3, field: 'email', message: 'is not a valid email address' }] }));
    api.setTransport(transport);
    renderPage();
    await chooseAndPreview();
    const errors = await screen.findByRole('table', { name: 'Row errors' });
    expect(errors).toHaveTextContent('is not a valid email address');
    expect(errors).not.toHaveTextContent('(empty)');
    expect(screen.queryByRole('table', { name: 'Columns' })).not.toBeInTheDocument();
  });
});
