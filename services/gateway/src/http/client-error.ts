import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { ErrorCode, Header } from '@sec-health/protocol';

import type { Logger } from '@sec-health/service-kit';

/**
 * Requests Node refuses before Express sees them (a request line or headers over 16 KiB,
 * malformed HTTP) get the same typed 400 body as every other bad input, not Node's bare 431/400.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    logger.warn({ requestId, code: error.code }, 'refused a malformed HTTP request');
    const body = JSON.stringify({
      code: ErrorCode.ValidationFailed,
      message: 'the request line or headers are malformed or too large',
      requestId,
    });
    socket.end(
      [
        'HTTP/1.1 400 Bad Request',
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `${Header.RequestId}: ${requestId}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
}
