import { BerthError } from '../util/berth-error.js';

/**
 * Why an API request was refused, with its HTTP status; answered as
 * `{"error": {"code", "message"}}`. The message never contains a token or a secret.
 */
export class ApiError extends BerthError {
  /** HTTP status of the answer (400, 401, 404, 409, 429, 500, 503...). */
  readonly status: number;

  constructor(status: number, code: string, message: string, data: Record<string, unknown> = {}) {
    super(code, message, data);
    this.status = status;
  }
}
