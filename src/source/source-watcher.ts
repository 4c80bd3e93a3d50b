import git from 'isomorphic-git';
import { errorMessage } from '../util/berth-error.js';
import { retryDelayMs } from './backoff.js';
import { gitFs } from './git-fs.js';
import { readRevisionFiles } from './read-revision-files.js';
import type { RepositoryBackend } from './repository-backend.js';
import { resolveRevision } from './resolve-revision.js';
import type { Revision, RevisionTrigger } from './revision.js';
import { SourceError } from './source-error.js';
import type { SourceFile } from './source-file.js';
import type { SourceEvent, SourceStatus } from './source-status.js';
import type { CompiledWatcherOptions } from './watcher-options.js';

/**
 * One source followed over time: the surface the reconcile loop uses. A watcher looks at its
 * repository on start, on file-system events (local), on its interval (remote), on
 * `refresh` (webhook, manual), and after failures with capped exponential backoff. A failed look
 * keeps the last good revision.
 */
export interface SourceWatcher {
  /** The source's name. */
  readonly name: string;
  /** Looks once (its outcome is in `status()`), then keeps watching. Never throws for a repository problem. */
  start(): Promise<void>;
  /** Stops watching and timers. A look in progress finishes but reports nothing. */
  stop(): Promise<void>;
  /**
   * Looks now. Calls during a look are coalesced: exactly one more look runs after the current
   * one. Resolves with the current revision (the last good one when this look failed).
   */
  refresh(trigger: RevisionTrigger): Promise<Revision | undefined>;
  /** Last revision, last error, last fetch time, recent events. A copy. */
  status(): SourceStatus;
  /** The files of a revision of this source (its `treeSha`), read from git objects. */
  readFiles(revision: Revision): Promise<SourceFile[]>;
  /**
   * Every file of the revision's commit, repository-relative (for a source whose path is a
   * subdirectory: its kustomization may list bases beside it).
   */
  readRepositoryFiles(revision: Revision): Promise<SourceFile[]>;
}

/** The {@link SourceWatcher} of one source over a {@link RepositoryBackend}. */
export class GitSourceWatcher implements SourceWatcher {
  readonly name: string;
  private readonly state: SourceStatus;
  private inFlight: Promise<Revision | undefined> | undefined;
  private queued: Promise<Revision | undefined> | undefined;
  private queuedTrigger: RevisionTrigger = 'manual';
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly cache = {};

  constructor(
    private readonly options: CompiledWatcherOptions,
    private readonly backend: RepositoryBackend,
    /** Delay before the next look after a success: the interval (remote) or the safety re-check (local). */
    private readonly successDelayMs: number,
  ) {
    this.name = options.source.name;
    this.state = { name: this.name, ready: false, consecutiveFailures: 0, events: [] };
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh('start');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    delete this.state.nextAttemptAt;
    await this.backend.close();
  }

  refresh(trigger: RevisionTrigger): Promise<Revision | undefined> {
    if (this.inFlight === undefined) {
      this.inFlight = this.look(trigger).finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    this.queuedTrigger = trigger;
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.refresh(this.queuedTrigger);
    });
    return this.queued;
  }

  status(): SourceStatus {
    return structuredClone(this.state);
  }

  readFiles(revision: Revision): Promise<SourceFile[]> {
    return readRevisionFiles(this.backend.gitdir(), revision.treeSha, this.cache);
  }

  async readRepositoryFiles(revision: Revision): Promise<SourceFile[]> {
    const gitdir = this.backend.gitdir();
    const { commit } = await git.readCommit({
      fs: gitFs,
      gitdir,
      oid: revision.sha,
      cache: this.cache,
    });
    return readRevisionFiles(gitdir, commit.tree, this.cache);
  }

  private async look(trigger: RevisionTrigger): Promise<Revision | undefined> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const { source } = this.options;
    try {
      const oid = await this.backend.update();
      const revision = await resolveRevision(
        { name: this.name, gitdir: this.backend.gitdir(), ref: source.ref, path: source.path },
        oid,
        this.cache,
      );
      if (!this.stopped) this.succeeded(revision, trigger);
    } catch (err) {
      if (!this.stopped) this.failed(this.toSourceError(err), trigger);
    }
    return this.state.revision;
  }

  private succeeded(revision: Revision, trigger: RevisionTrigger): void {
    const now = new Date().toISOString();
    const previous = this.state.revision;
    const recovered = this.state.consecutiveFailures > 0;
    this.state.ready = true;
    this.state.lastAttemptAt = now;
    this.state.lastSuccessAt = now;
    this.state.consecutiveFailures = 0;
    delete this.state.lastError;
    if (recovered) {
      this.event(
        'Normal',
        'Recovered',
        `${this.describe()} is reachable again`,
        trigger,
        revision.sha,
      );
      this.options.logger?.info({ source: this.name, trigger }, `source ${this.name}: recovered`);
    }
    this.schedule(this.successDelayMs);
    if (previous?.sha === revision.sha && previous.treeSha === revision.treeSha) return;
    this.state.revision = revision;
    this.event(
      'Normal',
      'NewRevision',
      `${revision.ref} is at ${revision.sha.slice(0, 12)}: ${revision.subject}`,
      trigger,
      revision.sha,
    );
    this.options.logger?.info(
      {
        source: this.name,
        sha: revision.sha,
        ref: revision.ref,
        trigger,
        subject: revision.subject,
      },
      `source ${this.name}: new revision ${revision.sha.slice(0, 12)}`,
    );
    this.options.onRevision(revision, trigger);
  }

  private failed(error: SourceError, trigger: RevisionTrigger): void {
    const now = new Date().toISOString();
    const previous = this.state.lastError;
    const repeated =
      previous !== undefined && previous.code === error.code && previous.message === error.message;
    this.state.ready = false;
    this.state.lastAttemptAt = now;
    this.state.consecutiveFailures += 1;
    this.state.lastError = { code: error.code, message: error.message, at: now };
    const kept = this.state.revision?.sha;
    const delay = retryDelayMs(
      this.state.consecutiveFailures,
      this.options.retryBaseMs,
      this.options.retryMaxMs,
    );
    const message = `${error.message}${kept ? ` (keeping ${kept.slice(0, 12)})` : ''}; retry in ${delay} ms`;
    const last = this.state.events.at(-1);
    if (repeated && last?.reason === 'FetchFailed' && last.revision === kept) {
      // The same failure again (a retry, or a second look at an unchanged repository): one event.
      Object.assign(last, { time: now, message, trigger, count: (last.count ?? 1) + 1 });
    } else this.event('Warning', 'FetchFailed', message, trigger, kept);
    this.options.logger?.warn(
      {
        source: this.name,
        code: error.code,
        trigger,
        failures: this.state.consecutiveFailures,
        retryInMs: delay,
        ...(kept ? { keeping: kept } : {}),
      },
      error.message,
    );
    this.schedule(delay);
    this.options.onError(error, trigger);
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !Number.isFinite(delayMs) || delayMs <= 0) return;
    clearTimeout(this.timer);
    const trigger: RevisionTrigger = this.state.consecutiveFailures > 0 ? 'retry' : 'interval';
    this.timer = setTimeout(() => void this.refresh(trigger), delayMs);
    this.timer.unref();
    this.state.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
  }

  private event(
    type: SourceEvent['type'],
    reason: SourceEvent['reason'],
    message: string,
    trigger: RevisionTrigger,
    revision: string | undefined,
  ): void {
    const events = this.state.events;
    events.push({
      time: new Date().toISOString(),
      type,
      reason,
      message,
      trigger,
      ...(revision ? { revision } : {}),
    });
    if (events.length > this.options.maxEvents)
      events.splice(0, events.length - this.options.maxEvents);
  }

  private describe(): string {
    return `source ${this.name}`;
  }

  private toSourceError(err: unknown): SourceError {
    if (err instanceof SourceError) {
      const message = this.backend.redact(err.message);
      return message === err.message
        ? err
        : new SourceError(err.code, message, err.data as Record<string, unknown>);
    }
    return new SourceError(
      'SourceFetchFailed',
      `source ${this.name}: ${this.backend.redact(errorMessage(err))}`,
      { source: this.name },
      { cause: err },
    );
  }
}
