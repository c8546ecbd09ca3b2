import type { IncomingMessage, ServerResponse } from 'node:http';

/** API answers hold tokens and health data: never cached, never sniffed or framed. */
export function securityHeadersMiddleware(
  _req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
}
