/**
 * Plain-language helpers for the CSV import report (docs/API.md, "CSV import").
 * Pure functions: the import page renders what they answer.
 */
import type { ImportColumn, ImportField, ImportReport } from '../api/types';

/** What a shop owner calls each field Pulse stores. */
export const FIELD_LABELS: Record<ImportField, string> = {
  name: 'Name',
  email: 'Email',
  satisfaction_score: 'Satisfaction score',
  review: 'Review',
  feedback_at: 'Feedback date',
};

/** The header names the server recognises for each field, case-insensitively. */
export const FIELD_ALIASES: Record<ImportField, readonly string[]> = {
  name: ['name', 'full name', 'customer', 'customer name'],
  email: ['email', 'e-mail', 'email address'],
  satisfaction_score: ['satisfaction_score', 'score', 'rating', 'csat', 'stars'],
  review: ['review', 'comment', 'comments', 'feedback', 'message'],
  feedback_at: ['feedback_at', 'date', 'submitted at', 'created at', 'timestamp'],
};

export const IMPORT_FIELDS = Object.keys(FIELD_LABELS) as ImportField[];

function isImportField(field: string): field is ImportField {
  return Object.prototype.hasOwnProperty.call(FIELD_LABELS, field);
}

/** "Satisfaction score" for `satisfaction_score`; anything unknown as it is. */
export function fieldLabel(field: string | null | undefined): string {
  if (!field) return '';
  return isImportField(field) ? FIELD_LABELS[field] : field;
}

/** A header cell as shown to people: a blank one is named by its position. */
export function columnName(header: string, index: number): string {
  const h = header.trim();
  return h || `Column ${index + 1} (no name)`;
}

export interface MappedColumn {
  /** The header as shown (see `columnName`). */
  header: string;
  field: string;
  label: string;
}

export interface ColumnPlan {
  /** Every column in file order, with the field it fills, or null when ignored. */
  all: { header: string; field: string | null; label: string | null }[];
  mapped: MappedColumn[];
  /** The names of the columns nothing is read from. */
  ignored: string[];
}

/** Which column fills which field, and which columns are ignored. */
export function planColumns(columns: readonly ImportColumn[] | null | undefined): ColumnPlan {
  const all = (columns ?? []).map((c, i) => ({
    header: columnName(c.header, i),
    field: c.field ?? null,
    label: c.field ? fieldLabel(c.field) : null,
  }));
  return {
    all,
    mapped: all.filter((c): c is MappedColumn => c.field !== null && c.label !== null),
    ignored: all.filter((c) => c.field === null).map((c) => c.header),
  };
}

/**
 * The file's own header of the column that fills `field`, when it says something other
 * than the field's label (so "Rating" is worth showing next to "Satisfaction score",
 * "email" next to "Email" is not).
 */
export function fileHeaderFor(field: string, columns: readonly ImportColumn[] | null | undefined): string | null {
  const index = (columns ?? []).findIndex((c) => c.field === field);
  if (index < 0) return null;
  const header = columnName(columns![index].header, index);
  return header.toLowerCase() === fieldLabel(field).toLowerCase() || header === field ? null : header;
}

/** "1 row" / "2,000 rows". */
export function countRows(n: number): string {
  return `${n.toLocaleString()} row${n === 1 ? '' : 's'}`;
}

/** The notice about rows without a date, or null when every row has one. */
export function datedTodayMessage(count: number | null | undefined, dryRun: boolean): string | null {
  if (!count) return null;
  if (dryRun) return `${countRows(count)} ${count === 1 ? 'has' : 'have'} no date and will be dated today.`;
  return `${countRows(count)} had no date and ${count === 1 ? 'was' : 'were'} dated today.`;
}

export interface PreviewVerdict {
  /** Rows the import would write (added, updated or appended). */
  writable: number;
  ignored: string[];
  /** True only when nothing deserves a second look: no invalid row, no ignored column, no missing date. */
  allGood: boolean;
}

export function previewVerdict(report: ImportReport): PreviewVerdict {
  const writable = report.inserted + report.updated + report.appended;
  const { ignored } = planColumns(report.columns);
  const allGood = writable > 0 && report.invalid === 0 && ignored.length === 0 && !report.dated_today;
  return { writable, ignored, allGood };
}

/**
 * The rejected rows as a file a spreadsheet opens correctly: UTF-8 with a byte order mark
 * (Excel reads UTF-8 without one as a local code page); the import accepts the mark.
 */
export function rejectedRowsBlob(csv: string): Blob {
  return new Blob([csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`], { type: 'text/csv;charset=utf-8' });
}

/**
 * Were dates refused that look like 31/12/2025 or 12/31/2025? Those are read only with a
 * date format (day first or month first): the page then says where to choose one.
 */
export function needsDateFormat(report: Pick<ImportReport, 'errors'>): boolean {
  return report.errors.some((e) => e.field === 'feedback_at' && /^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?!\d)/.test(e.value ?? ''));
}
