/**
 * The headers every HTML page this server sends carries (the web app's index.html, /docs): a
 * content security policy that allows only this origin's own files, no plug-ins, no framing,
 * forms only to itself, plus nosniff and no referrer. Each page widens only what it needs.
 */
export function pageSecurityHeaders(allow: { connect?: string[]; img?: string[]; style?: string[] } = {}): Record<string, string> {
  const self = (extra: string[] = []) => ["'self'", ...extra].join(' ');
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      `img-src ${self(allow.img)}`,
      `style-src ${self(allow.style)}`,
      "script-src 'self'",
      `connect-src ${self(allow.connect)}`,
      "object-src 'none'",
      "base-uri 'self'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
