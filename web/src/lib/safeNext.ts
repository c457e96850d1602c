/**
 * Where to go after logging in, from an untrusted `?next=` value.
 *
 * Only a path of this very site is followed; anything else falls back to `fallback`.
 * The value is parsed, not prefix-matched: browsers read `/\evil.com` as `//evil.com`
 * and drop tabs and newlines anywhere in a URL, so a check on the raw text's first
 * characters alone is an open redirect (a phishing aid). The rules:
 *
 * - the raw value starts with exactly one `/` (not `//`), contains no backslash and no
 *   control character (C0, DEL, C1);
 * - resolved against `origin`, it stays on `origin`;
 * - its normalized path does not start with `//` either (`/..//evil.com` resolves to
 *   `//evil.com`, which a router would hand to the browser as another host).
 *
 * The answer is the normalized path, query and fragment: what was checked is what is used.
 */
export function safeNextPath(raw: string | null | undefined, origin: string, fallback = '/'): string {
  if (!raw || raw[0] !== '/' || raw[1] === '/') return fallback;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x5c /* \ */) return fallback;
  }
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  return path;
}
