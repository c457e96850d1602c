import { describe, expect, it } from 'vitest';
import type { Survey } from '../api/types';
import { anySending, audienceText, describeQueued, parseScore, pending, progressText, surveyRequest, surveySubject } from './surveys';

function survey(patch: Partial<Survey> = {}): Survey {
  return {
    id: 1,
    created_at: '2026-01-10T10:00:00Z',
    created_by: { id: 1, username: 'ada' },
    message: '',
    queued: 12,
    sent: 12,
    failed: 0,
    answered: 5,
    ...patch,
  };
}

describe('surveys', () => {
  it('names the email after the workspace', () => {
    expect(surveySubject('Acme')).toBe('How was your experience with Acme?');
  });

  it('says what the server did with a survey', () => {
    expect(describeQueued({ survey_id: 1, queued: 12, skipped_recent: 3, skipped_unsubscribed: 1 })).toBe(
      '12 will be asked; 3 skipped because they were asked in the last 30 days; 1 unsubscribed',
    );
    expect(describeQueued({ survey_id: 1, queued: 1, skipped_recent: 0, skipped_unsubscribed: 0 })).toBe('1 will be asked');
    expect(describeQueued({ survey_id: 1, queued: 0, skipped_recent: 0, skipped_unsubscribed: 2 })).toBe('Nobody will be asked; 2 unsubscribed');
  });

  it('sends the selected customers, or else the filters; never both', () => {
    expect(surveyRequest([3, 5], { min_score: 4 }, '  Thanks!  ')).toEqual({ customer_ids: [3, 5], message: 'Thanks!' });
    expect(surveyRequest([], { min_score: 4, q: '', sentiment: undefined }, '')).toEqual({ filter: { min_score: 4 } });
    expect(surveyRequest([], {}, '   ')).toEqual({ filter: {} });
  });

  it('says who will be asked', () => {
    expect(audienceText(3, 120, true)).toBe('the 3 customers you selected');
    expect(audienceText(1, 120, false)).toBe('the customer you selected');
    expect(audienceText(0, 120, true)).toBe('the 120 customers matching the current filters');
    expect(audienceText(0, 120, false)).toBe('all 120 customers');
    expect(audienceText(0, 1, false)).toBe('your only customer');
  });

  it('knows when a survey is still sending', () => {
    expect(pending(survey({ queued: 12, sent: 8, failed: 1 }))).toBe(3);
    expect(anySending([survey(), survey({ queued: 12, sent: 8, failed: 1 })])).toBe(true);
    expect(anySending([survey(), survey({ queued: 12, sent: 11, failed: 1 })])).toBe(false);
    expect(anySending([])).toBe(false);
  });

  it('tells the progress in words', () => {
    expect(progressText(survey({ queued: 12, sent: 8, failed: 1, answered: 2 }))).toBe('8 of 12 sent, 1 failed, 3 waiting, 2 answered');
    expect(progressText(survey({ queued: 0, sent: 0, answered: 0 }))).toBe('Nobody was asked');
  });

  it('reads only a real score from a link', () => {
    expect(parseScore('4')).toBe(4);
    expect(parseScore(null)).toBeNull();
    expect(parseScore('0')).toBeNull();
    expect(parseScore('6')).toBeNull();
    expect(parseScore('4.5')).toBeNull();
    expect(parseScore('five')).toBeNull();
  });
});
