import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { maskPanLike } from '../../protocol/index.js';

/**
 * The POS API's request log: one line per request when it ends,
 * `{ method, url, statusCode, responseTime }` (ms; "request completed", or
 * "request errored" with `err`). Bodies and headers are never logged, and a
 * card number typed into the URL is masked, percent-encoded or not (the
 * logger's scrubbing masks it again as a safety net).
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // One line per request, written when it ends (it then knows the status and the time taken).
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    // Milliseconds to 0.01: a float's long tail of digits would read as a card number to the log's PAN scrubbing.
    const responseTime = Math.round(reply.elapsedTime * 100) / 100;
    const line = { method: request.method, url: maskPanLike(decodedForLog(request.url)), statusCode: reply.statusCode, responseTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/**
 * The URL with its percent-escapes (and a query's `+`) decoded byte by byte, so that a card number sent
 * encoded (`6280%200000%200000%200016`, `%36%32%38...`) is seen, and masked, like one sent plain. A malformed
 * escape is left as it is; the result is only ever logged.
 */
function decodedForLog(url: string): string {
  return url.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
