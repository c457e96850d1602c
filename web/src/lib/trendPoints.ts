/**
 * A point of the average-score line, sized and faded by how many responses it averages: an
 * average of two responses should not look as sure as one of two hundred.
 */
export function pointStyle(count: number, largest: number): { r: number; opacity: number } {
  if (count <= 0 || largest <= 0) return { r: 0, opacity: 0 };
  const share = Math.sqrt(count / largest);
  return { r: 2 + 4 * share, opacity: count < 5 ? 0.35 : 0.5 + 0.5 * share };
}
