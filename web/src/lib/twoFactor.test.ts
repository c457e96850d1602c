import { describe, expect, it } from 'vitest';
import { groupSecret, normalizeCode, recoveryCodesText, svgDataUrl, TWO_FACTOR_PATH } from './twoFactor';

function decodeDataUrl(url: string): string {
  const b64 = url.replace(/^data:image\/svg\+xml;base64,/, '');
  const binary = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

describe('svgDataUrl', () => {
  it('makes an image source of the SVG, byte for byte', () => {
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200"><path d="M0 0h1v1H0z"/></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(decodeDataUrl(url)).toBe(svg);
  });

  it('copes with text that is not Latin-1 and with long documents', () => {
    const svg = `<svg><title>Pulse — Ölaf ✓</title>${'<rect x="1" y="1" width="1" height="1"/>'.repeat(5000)}</svg>`;
    expect(decodeDataUrl(svgDataUrl(svg))).toBe(svg);
  });
});

describe('two-factor text helpers', () => {
  it('groups the secret by four for typing', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
    expect(groupSecret('')).toBe('');
  });

  it('drops the spaces and dashes people type', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('k7qx-m2pd')).toBe('k7qxm2pd');
  });

  it('writes the recovery codes one a line, after what they are for', () => {
    const text = recoveryCodesText(['AAAA-BBBB', 'CCCC-DDDD'], { account: 'ada', site: 'pulse.example', date: new Date('2026-03-04T10:00:00Z') });
    expect(text.split('\n')).toEqual([
      'Pulse recovery codes for ada (pulse.example)',
      'Made 2026-03-04. Each code works once, instead of a code from your authenticator app.',
      'Keep them somewhere safe: anyone with a code and your password can sign in as you.',
      '',
      'AAAA-BBBB',
      'CCCC-DDDD',
      '',
    ]);
  });

  it('links to the account page’s two-factor card', () => {
    expect(TWO_FACTOR_PATH).toBe('/account#two-factor');
  });
});
