import { describe, expect, it } from 'vitest';
import { pointStyle } from './trendPoints';

describe('pointStyle', () => {
  it('sizes a point by its sample and fades small ones', () => {
    const big = pointStyle(200, 200);
    const small = pointStyle(2, 200);
    expect(big.r).toBeGreaterThan(small.r);
    expect(big.opacity).toBe(1);
    expect(small.opacity).toBeLessThan(0.5);
  });

  it('draws nothing for an empty period', () => {
    expect(pointStyle(0, 10)).toEqual({ r: 0, opacity: 0 });
  });
});
