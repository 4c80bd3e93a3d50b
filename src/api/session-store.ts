import { randomBytes } from 'node:crypto';

/** A dashboard session: made by logging in with the API token, ended by logging out or expiry. */
export interface Session {
  /** The opaque id the cookie carries (32 random bytes, base64url); never the token. */
  readonly id: string;
  /** The per-session CSRF token every action made with the cookie must send back. */
  readonly csrf: string;
  /** Epoch ms after which the session is gone. */
  readonly expiresAt: number;
}

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** How long a session lasts from login (absolute, not sliding). Default 8 hours. */
  ttlMs?: number;
  /** At most this many live sessions; logging in past it ends the oldest. Default 1,000. */
  max?: number;
  /** The clock. Default Date.now. */
  now?: () => number;
}

/**
 * The dashboard's sessions, in the memory of the API server: a restart logs everyone out (the
 * token logs them in again). Ids are random and opaque; nothing about the token is kept.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 8 * 3600_000;
    this.max = options.max ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** How long a new session lasts, in seconds (the cookie's Max-Age). */
  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  /** Starts a session. */
  create(): Session {
    this.sweep();
    while (this.sessions.size >= this.max) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session = {
      id: randomBytes(32).toString('base64url'),
      csrf: randomBytes(32).toString('base64url'),
      expiresAt: this.now() + this.ttlMs,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of an id, or undefined (unknown, or expired: then forgotten). */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** Ends a session (logout). */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(id);
  }
}
