/**
 * Helpers of the two-factor screens: showing the server's QR code safely,
 * the secret for typing in by hand, and the recovery codes as a file.
 */

/** The id of the account page's two-factor card, and a link to it. */
export const TWO_FACTOR_ANCHOR = 'two-factor';
export const TWO_FACTOR_PATH = `/account#${TWO_FACTOR_ANCHOR}`;

/**
 * The QR code (an SVG document from the server) as an `<img>` source. An image never runs
 * scripts nor touches the page, which inlining the markup would (so never
 * `dangerouslySetInnerHTML`).
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  // Chunks: spreading a long array into fromCharCode would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** A base32 secret in groups of four, easier to type into an app: `JBSW Y3DP EHPK 3PXP`. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * A code as typed, without the spaces and dashes people add (`123 456` → `123456`,
 * `k7qx-m2pd` → `k7qxm2pd`): the server reads a 6-digit code only as such, and compares
 * recovery codes without case or dashes.
 */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]+/g, '');
}

/** The text file of recovery codes: what they are for, then one code a line. */
export function recoveryCodesText(codes: string[], opts: { account: string; site: string; date: Date }): string {
  return [
    `Pulse recovery codes for ${opts.account} (${opts.site})`,
    `Made ${opts.date.toISOString().slice(0, 10)}. Each code works once, instead of a code from your authenticator app.`,
    'Keep them somewhere safe: anyone with a code and your password can sign in as you.',
    '',
    ...codes,
    '',
  ].join('\n');
}
