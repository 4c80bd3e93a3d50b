import type { SourceConfig } from '../config/index.js';
import type { Logger } from '../util/logger.js';
import type { Revision, RevisionTrigger } from './revision.js';
import type { SourceError } from './source-error.js';

/** Options of a source watcher ({@link createSourceWatcher}). */
export interface SourceWatcherOptions {
  /** The source, as compiled from `berth.yaml`. */
  source: SourceConfig;
  /** Berth's working directory: remote sources are fetched into `<stateDir>/sources/<name>.git`. */
  stateDir: string;
  /** Called once per new commit (the first revision included), in order. */
  onRevision?: (revision: Revision, trigger: RevisionTrigger) => void;
  /** Called on every failed look; the last good revision stays current. */
  onError?: (error: SourceError, trigger: RevisionTrigger) => void;
  /** Structured logger. Default: none (silent). */
  logger?: Logger;
  /** First retry delay after a failure. Default 1 s, doubled per failure in a row. */
  retryBaseMs?: number;
  /** Cap of the retry delay. Default: the source's interval, at most 5 min, at least the base. */
  retryMaxMs?: number;
  /** Local sources: wait this long after a file-system event before reading refs (git writes several files). Default 25 ms. */
  debounceMs?: number;
  /** Local sources: a safety re-read of refs in case an event was missed. Default: the source's interval. */
  localRecheckMs?: number;
  /** Remote sources: a fetch that has not finished after this long is reported as `SourceUnreachable`. Default 120 s. */
  fetchTimeoutMs?: number;
  /** Events kept in status. Default 50. */
  maxEvents?: number;
  /** Environment secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** {@link SourceWatcherOptions} with every default applied. */
export interface CompiledWatcherOptions extends Required<Omit<SourceWatcherOptions, 'logger'>> {
  logger: Logger | undefined;
}

/** Applies the defaults of {@link SourceWatcherOptions}. */
export function compileWatcherOptions(options: SourceWatcherOptions): CompiledWatcherOptions {
  const retryBaseMs = options.retryBaseMs ?? 1000;
  return {
    source: options.source,
    stateDir: options.stateDir,
    onRevision: options.onRevision ?? (() => {}),
    onError: options.onError ?? (() => {}),
    logger: options.logger,
    retryBaseMs,
    retryMaxMs:
      options.retryMaxMs ?? Math.max(retryBaseMs, Math.min(options.source.intervalMs, 300_000)),
    debounceMs: options.debounceMs ?? 25,
    localRecheckMs: options.localRecheckMs ?? options.source.intervalMs,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 120_000,
    maxEvents: options.maxEvents ?? 50,
    env: options.env ?? process.env,
  };
}
