import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { KeywordsPanel } from './KeywordsPanel';

describe('the keywords panel', () => {
  it('shows words and phrases as they come, the bar by strength and the count as the number', async () => {
    const onSelect = vi.fn();
    render(
      <KeywordsPanel
        keywords={{
          positive: [
            { term: 'fast delivery', count: 12, z: 4.5 },
            { term: 'friendly', count: 30, z: 2.25 },
          ],
          negative: [{ term: 'refund', count: 7, z: 3.1 }],
        }}
        onSelect={onSelect}
      />,
    );
    expect(screen.getByText(/set low reviews apart from high ones \(and the reverse\)\. Empty when there is not enough difference to tell\./)).toBeInTheDocument();

    const phrase = screen.getByRole('button', { name: /fast delivery/ });
    expect(phrase).toHaveTextContent('fast delivery12');
    // Bars are relative to the strongest term of the list, not to the counts.
    const bar = (button: HTMLElement) => (button.querySelector('.keyword-bar') as HTMLElement).style.width;
    expect(bar(phrase)).toBe('100%');
    expect(bar(screen.getByRole('button', { name: /friendly/ }))).toBe('50%');
    expect(bar(screen.getByRole('button', { name: /refund/ }))).toBe('100%');
    expect(phrase).toHaveAttribute('title', expect.stringContaining('12 in 4–5★ reviews'));

    await userEvent.click(phrase);
    expect(onSelect).toHaveBeenCalledWith('fast delivery', 'positive');
    await userEvent.click(screen.getByRole('button', { name: /refund/ }));
    expect(onSelect).toHaveBeenLastCalledWith('refund', 'negative');
  });

  it('says nothing stands out for an empty list', () => {
    render(<KeywordsPanel keywords={{ positive: [], negative: [] }} onSelect={vi.fn()} />);
    expect(screen.getAllByText('Nothing stands out.')).toHaveLength(2);
    expect(within(document.body).queryAllByRole('button')).toHaveLength(0);
  });
});
