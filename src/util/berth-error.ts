/**
 * The base of every error Berth reports. Errors are data (as in isomorphic-git): a stable
 * `code` a program can branch on, a `data` object with the facts, and a message for people.
 * Never put a secret in `message` or `data`.
 */
export class BerthError extends Error {
  readonly code: string;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.data = data;
  }

  toJSON(): { name: string; code: string; message: string; data: Record<string, unknown> } {
    return { name: this.name, code: this.code, message: this.message, data: { ...this.data } };
  }
}

/** The message of anything thrown, for logs and status lines. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
