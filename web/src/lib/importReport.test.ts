import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../api/types';
import {
  columnName,
  countRows,
  datedTodayMessage,
  fieldLabel,
  fileHeaderFor,
  needsDateFormat,
  planColumns,
  previewVerdict,
  rejectedRowsBlob,
} from './importReport';

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
    ],
    preview: [],
    dated_today: 0,
    rejected_csv: null,
    ...patch,
  };
}

describe('fieldLabel', () => {
  it.each([
    ['name', 'Name'],
    ['email', 'Email'],
    ['satisfaction_score', 'Satisfaction score'],
    ['review', 'Review'],
    ['feedback_at', 'Feedback date'],
    ['file', 'file'],
    ['toString', 'toString'],
    [null, ''],
    [undefined, ''],
  ])('%j → %j', (field, label) => {
    expect(fieldLabel(field)).toBe(label);
  });
});

describe('columnName', () => {
  it('keeps a header as written, trimmed', () => {
    expect(columnName(' Full name ', 0)).toBe('Full name');
  });
  it('names a blank header by its position', () => {
    expect(columnName('  ', 2)).toBe('Column 3 (no name)');
  });
});

describe('planColumns', () => {
  it('splits mapped and ignored columns, keeping the file order', () => {
    const plan = planColumns([
      { header: 'Full name', field: 'name' },
      { header: 'E-mail', field: 'email' },
      { header: 'Notes', field: null },
      { header: 'Stars', field: 'satisfaction_score' },
      { header: '', field: null },
    ]);
    expect(plan.mapped).toEqual([
      { header: 'Full name', field: 'name', label: 'Name' },
      { header: 'E-mail', field: 'email', label: 'Email' },
      { header: 'Stars', field: 'satisfaction_score', label: 'Satisfaction score' },
    ]);
    expect(plan.ignored).toEqual(['Notes', 'Column 5 (no name)']);
    expect(plan.all.map((c) => c.header)).toEqual(['Full name', 'E-mail', 'Notes', 'Stars', 'Column 5 (no name)']);
  });

  it('copes with a report that has no columns (an older server)', () => {
    expect(planColumns(undefined)).toEqual({ all: [], mapped: [], ignored: [] });
  });
});

describe('fileHeaderFor', () => {
  const columns = [
    { header: 'Email', field: 'email' },
    { header: 'Rating', field: 'satisfaction_score' },
    { header: 'feedback_at', field: 'feedback_at' },
  ];
  it('names the file column when it differs from the label', () => {
    expect(fileHeaderFor('satisfaction_score', columns)).toBe('Rating');
  });
  it('says nothing when the header is the label or the field itself', () => {
    expect(fileHeaderFor('email', columns)).toBeNull();
    expect(fileHeaderFor('feedback_at', columns)).toBeNull();
  });
  it('says nothing for a field without a column', () => {
    expect(fileHeaderFor('review', columns)).toBeNull();
    expect(fileHeaderFor('review', undefined)).toBeNull();
  });
});

describe('datedTodayMessage', () => {
  it.each([
    [0, true, null],
    [undefined, true, null],
    [1, true, '1 row has no date and will be dated today.'],
    [3, true, '3 rows have no date and will be dated today.'],
    [1, false, '1 row had no date and was dated today.'],
    [2, false, '2 rows had no date and were dated today.'],
  ])('%j rows, dry run %j', (count, dryRun, message) => {
    expect(datedTodayMessage(count, dryRun)).toBe(message);
  });

  it('counts with the reader’s digit grouping', () => {
    expect(countRows(1)).toBe('1 row');
    expect(countRows(2000)).toBe(`${(2000).toLocaleString()} rows`);
  });
});

describe('previewVerdict', () => {
  it('is all good only when nothing needs a second look', () => {
    expect(previewVerdict(report())).toEqual({ writable: 2, ignored: [], allGood: true });
  });

  it.each<[string, Partial<ImportReport>]>([
    ['an invalid row', { invalid: 1, total_rows: 3 }],
    ['an ignored column', { columns: [{ header: 'name', field: 'name' }, { header: 'Notes', field: null }] }],
    ['a row without a date', { dated_today: 1 }],
    ['nothing to write', { inserted: 0, skipped: 2 }],
  ])('is not all good with %s', (_why, patch) => {
    expect(previewVerdict(report(patch)).allGood).toBe(false);
  });

  it('counts added and updated rows as written', () => {
    expect(previewVerdict(report({ inserted: 1, updated: 4 })).writable).toBe(5);
  });

  it('lists the ignored columns', () => {
    expect(previewVerdict(report({ columns: [{ header: 'Notes', field: null }] })).ignored).toEqual(['Notes']);
  });
});

describe('rejectedRowsBlob', () => {
  // jsdom's Blob has no arrayBuffer(); its FileReader reads one.
  const bytes = (b: Blob) =>
    new Promise<number[]>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(Array.from(new Uint8Array(reader.result as ArrayBuffer)));
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(b);
    });

  it('is a UTF-8 CSV with a byte order mark, so spreadsheets read accents right', async () => {
    const blob = rejectedRowsBlob('name,error\nJosé,bad email\n');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const b = await bytes(blob);
    expect(b.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(b))).toBe('\uFEFFname,error\nJosé,bad email\n');
  });

  it('does not add a second mark', async () => {
    const b = await bytes(rejectedRowsBlob('\uFEFFname,error\n'));
    expect(b.slice(0, 6)).toEqual([0xef, 0xbb, 0xbf, 0x6e, 0x61, 0x6d]);
  });
});

describe('needsDateFormat', () => {
  const err = (field: string, value: string) => ({ row: 2, field, message: 'is not a date', value });
  it.each([
    ['31/12/2025', true],
    ['12/31/2025', true],
    ['1.2.2025', true],
    ['01-02-2025 10:00', true],
    ['2025-12-31', false],
    ['yesterday', false],
    ['', false],
    ['31/12/25', false],
  ])('a refused date %j → %j', (value, expected) => {
    expect(needsDateFormat({ errors: [err('feedback_at', value)] })).toBe(expected);
  });

  it('looks only at dates', () => {
    expect(needsDateFormat({ errors: [err('review', '31/12/2025')] })).toBe(false);
    expect(needsDateFormat({ errors: [] })).toBe(false);
  });
});
