/**
 * How a watcher reaches one kind of repository (local path or remote URL). The watcher owns
 * scheduling, status and events; a backend only brings objects up to date and says where they are.
 */
export interface RepositoryBackend {
  /** The git directory objects and refs are read from. Known after the first successful `update`. */
  gitdir(): string;
  /**
   * Makes the objects of the followed ref available (a fetch for a remote; finding the
   * repository and starting the file watch for a local path). Returns the commit when the
   * backend knows it, `undefined` to read the ref from `gitdir()`.
   */
  update(): Promise<string | undefined>;
  /** Replaces every credential the backend knows in `text` (messages built from errors). */
  redact(text: string): string;
  /** Stops file watches and timers. */
  close(): Promise<void>;
}
