import { BerthError } from '../util/berth-error.js';

/**
 * A forge API call that failed: `status` is the HTTP status (0 when the forge could not be
 * reached). The message names the forge, the call and the status, never the token.
 */
export class ForgeError extends BerthError {
  readonly status: number;

  constructor(forge: string, call: string, status: number, detail?: string) {
    super(
      'ForgeRequestFailed',
      `${forge} ${call} failed: ${status ? `HTTP ${status}` : 'unreachable'}${detail ? ` (${detail})` : ''}`,
      { forge, call, status },
    );
    this.status = status;
  }
}

/** Runs one forge call, turning whatever its client library throws into a {@link ForgeError}. */
export async function forgeCall<T>(forge: string, call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ForgeError) throw err;
    throw new ForgeError(forge, call, httpStatus(err), shortReason(err));
  }
}

/** The HTTP status inside an error from octokit (`status`), gitea-js (`status`) or gitbeaker (`cause.response.status`). */
function httpStatus(err: unknown): number {
  const e = err as { status?: unknown; cause?: { response?: { status?: unknown } } } | null;
  const status = e?.status ?? e?.cause?.response?.status;
  return typeof status === 'number' ? status : 0;
}

function shortReason(err: unknown): string | undefined {
  if (httpStatus(err)) return undefined;
  const message = err instanceof Error ? err.message : undefined;
  return message?.slice(0, 200);
}
