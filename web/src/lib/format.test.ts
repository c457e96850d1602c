import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatFeedbackDate } from './format';

describe('formatFeedbackDate', () => {
  it.each(['2025-12-31T00:00:00Z', '2025-12-31T00:00:00.000Z', '2025-12-31T00:00Z', '2025-12-31T00:00:00+00:00'])(
    'shows midnight UTC (%s) as the calendar day, whatever the local zone',
    (iso) => {
      expect(formatFeedbackDate(iso)).toBe(formatDate('2025-12-31'));
    },
  );

  it('shows any other instant as a local date and time', () => {
    expect(formatFeedbackDate('2025-12-31T14:30:00Z')).toBe(formatDateTime('2025-12-31T14:30:00Z'));
    expect(formatFeedbackDate('2025-12-31T00:00:00+02:00')).toBe(formatDateTime('2025-12-31T00:00:00+02:00'));
  });

  it('shows a dash for nothing and the text itself for garbage', () => {
    expect(formatFeedbackDate(null)).toBe('—');
    expect(formatFeedbackDate('')).toBe('—');
    expect(formatFeedbackDate('someday')).toBe('someday');
  });
});
