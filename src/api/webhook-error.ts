import { BerthError } from '../util/berth-error.js';

/**
 * Why a webhook request was refused, with the HTTP status it is answered with. The message
 * names the reason and never contains a secret, a signature or a token.
 */
export class WebhookError extends BerthError {
  /** HTTP status of the answer: 400, 401, 403, 404, 405, 413, 429, 500 or 503. */
  readonly status: number;

  constructor(status: number, code: string, message: string, data: Record<string, unknown> = {}) {
    super(code, message, data);
    this.status = status;
  }
}
