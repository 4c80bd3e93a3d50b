import path from 'node:path';
import git from 'isomorphic-git';
import type { ImageUpdateConfig, SourceConfig } from '../config/index.js';
import {
  type CredentialSource,
  credentialsFor,
  latestTag,
  parseImageReference,
  type RegistryClient,
  RegistryError,
} from '../images/index.js';
import { imageUpdatesTotal } from '../metrics/index.js';
import { publishCommit, RollbackError, retryWhenBranchMoved } from '../rollback/index.js';
import { findGitdir, gitFs, RemoteBackend } from '../source/index.js';
import type { BerthEvent, HistoryStore, ImageUpdateStore } from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { revertedUpdates } from './reverted-updates.js';
import { writeUpdateCommit } from './update-commit.js';

/** What a source's scanner needs. */
export interface ImageUpdateScannerOptions {
  source: SourceConfig;
  /** Berth's state directory: a remote is fetched into `<stateDir>/image-updates/sources/<name>.git`. */
  stateDir: string;
  client: RegistryClient;
  /** The host's registry credentials (berth.yaml `registries`, Docker's config), read at each scan. */
  credentials(): Promise<CredentialSource[]>;
  /** Skipped (rolled back) tags, in Redis. */
  skipped: ImageUpdateStore;
  /** `berth history`: a skipped tag is noted on the revert that undid it. */
  history: HistoryStore;
  record(event: BerthEvent): Promise<void>;
  /** Has the source's watcher look again now (a remote, after a push). */
  refresh(): Promise<void>;
  /**
   * Called right before the branch moves (HA: the leader's fencing check, so a process that
   * lost its lease never commits).
   */
  beforeWrite?: () => Promise<void>;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/** The outcome of one scan of one update. */
export type ScanResult =
  | { result: 'committed'; commit: string; tag: string; oldTags: string[] }
  | { result: 'unchanged'; tag: string | undefined }
  | { result: 'failed'; error: string };

/**
 * Image update automation of one source (Flux's image-reflector and image-automation in one):
 * every `imageUpdates[].interval` it lists the image's tags in its registry, picks the newest by
 * the policy (never a tag whose update commit was reverted), and when the manifests of the
 * tracked branch say another tag commits the change (only the tag, formatting kept) and
 * advances the branch — git's lock protocol for a local repository, whose working tree must be
 * clean, a fast-forward push with the source's credentials for a remote. The commit then goes
 * through the pipeline like any other: validation, plan, rollout, automated rollback. Scans of
 * one source run one at a time. Runs where the source watchers run.
 */
export class ImageUpdateScanner {
  private readonly timers: NodeJS.Timeout[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private readonly queued = new Set<string>();
  /** The head of the last walk for reverts: the next walk stops there. */
  private walked: string | undefined;
  /** The last failure of each update: a repeated one is logged at debug, not recorded again. */
  private readonly failures = new Map<string, string>();
  private readonly remote: RemoteBackend | undefined;
  private stopped = false;

  constructor(private readonly options: ImageUpdateScannerOptions) {
    const { source } = options;
    this.remote = source.remote
      ? new RemoteBackend(
          source,
          path.join(options.stateDir, 'image-updates'),
          options.env ?? process.env,
          undefined,
          true,
        )
      : undefined;
  }

  /** Scans every update now, then at its interval. */
  start(): void {
    for (const update of this.options.source.imageUpdates) {
      void this.enqueue(update);
      this.timers.push(setInterval(() => void this.enqueue(update), update.intervalMs));
    }
  }

  /** Stops the timers and waits for a scan in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.chain.catch(() => undefined);
  }

  /** Queues a scan of `update` (once: a scan already waiting covers it). */
  enqueue(update: ImageUpdateConfig): Promise<ScanResult | undefined> {
    if (this.queued.has(update.name)) return Promise.resolve(undefined);
    this.queued.add(update.name);
    const next = this.chain.then(async () => {
      this.queued.delete(update.name);
      if (this.stopped) return undefined;
      return this.scan(update);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** One scan of one update; failures are recorded (once while they repeat), never thrown. */
  async scan(update: ImageUpdateConfig): Promise<ScanResult> {
    const { source, logger } = this.options;
    const log = logger.child({ source: source.name, imageUpdate: update.name });
    try {
      const result = await this.scanOnce(update);
      this.failures.delete(update.name);
      return result;
    } catch (err) {
      const error = errorMessage(err);
      imageUpdatesTotal.inc({ source: source.name, update: update.name, result: 'failed' });
      if (this.failures.get(update.name) === error) {
        log.debug({ err: error }, 'image update scan failed again');
        return { result: 'failed', error };
      }
      this.failures.set(update.name, error);
      const code =
        err instanceof RollbackError || err instanceof RegistryError ? err.code : 'Error';
      log.error({ code, err: error }, `image update ${update.name}: ${error}`);
      await this.event(
        'Warning',
        'ImageUpdateFailed',
        `image update ${update.name} (${update.image}): ${error}`,
      );
      return { result: 'failed', error };
    }
  }

  private async scanOnce(update: ImageUpdateConfig): Promise<ScanResult> {
    const { source } = this.options;
    const branch = (source.ref as { branch: string }).branch;
    const tags = await this.listTags(update);
    return retryWhenBranchMoved(async (): Promise<ScanResult> => {
      const gitdir = await this.gitdir();
      const head = await git.resolveRef({ fs: gitFs, gitdir, ref: `refs/heads/${branch}` });
      await this.noteReverts(gitdir, head);
      const skip = await this.options.skipped.skipped(source.name, update.name);
      const tag = latestTag(tags, update.policy, update.filterTags, skip);
      if (tag === undefined) return { result: 'unchanged', tag };
      const written = await writeUpdateCommit({
        gitdir,
        head,
        path: source.path,
        target: { name: update.name, image: update.image, tag },
        author: update.author,
      });
      for (const s of written.skipped) this.options.logger.warn({ source: source.name }, s);
      if (written.commit === undefined) return { result: 'unchanged', tag };
      await this.options.beforeWrite?.();
      const auth = this.remote?.credentials();
      await publishCommit({
        gitdir,
        branch,
        expected: head,
        commit: written.commit,
        ...(this.remote
          ? {
              remote: {
                url: source.repo,
                ...(auth ? { auth } : {}),
                redact: (text: string) => this.remote?.redact(text) ?? text,
              },
            }
          : {}),
      });
      imageUpdatesTotal.inc({ source: source.name, update: update.name, result: 'committed' });
      const message = `${written.commit.slice(0, 7)} updates ${update.image} from ${written.oldTags.join(', ')} to ${tag} (${written.changes.length} field${written.changes.length === 1 ? '' : 's'})${this.remote ? `; pushed to ${branch}` : ''}`;
      this.options.logger.info({ source: source.name, imageUpdate: update.name }, message);
      await this.event('Normal', 'ImageUpdated', message, written.commit);
      if (this.remote) await this.options.refresh().catch(() => undefined);
      return { result: 'committed', commit: written.commit, tag, oldTags: written.oldTags };
    });
  }

  /** The tags of the update's repository, with the credentials a pull would try first. */
  private async listTags(update: ImageUpdateConfig): Promise<string[]> {
    const ref = parseImageReference(update.image);
    if (!ref) throw new Error(`"${update.image}" is not an image reference`);
    const credentials = credentialsFor(ref, await this.options.credentials());
    if (credentials.length === 0) return this.options.client.listTags(ref);
    let failure: unknown;
    for (const credential of credentials) {
      try {
        return await this.options.client.listTags(ref, credential);
      } catch (err) {
        failure = err;
        if (!(err instanceof RegistryError) || err.code !== 'RegistryUnauthorized') throw err;
      }
    }
    throw failure;
  }

  /** The git directory to read and write: the local repository's, or a full fetch of the remote. */
  private async gitdir(): Promise<string> {
    if (!this.remote) return findGitdir(this.options.source.name, this.options.source.repo);
    await this.remote.update();
    return this.remote.gitdir();
  }

  /**
   * Tags whose update commits were reverted since the last walk are skipped from now on: an
   * event, a metric, and a note on the revert in `berth history`.
   */
  private async noteReverts(gitdir: string, head: string): Promise<void> {
    if (head === this.walked) return;
    const { source } = this.options;
    const names = new Set(source.imageUpdates.map((u) => u.name));
    for (const r of await revertedUpdates(gitdir, head, this.walked)) {
      if (!names.has(r.name)) continue;
      if (!(await this.options.skipped.skip(source.name, r.name, r.tag))) continue;
      const note = `image update skipped: ${r.name} ${r.tag} was rolled back (${r.revert.slice(0, 7)} reverts ${r.reverted.slice(0, 7)}); it is not committed again, a newer tag is`;
      imageUpdatesTotal.inc({ source: source.name, update: r.name, result: 'skipped' });
      this.options.logger.warn({ source: source.name, imageUpdate: r.name }, note);
      await this.options.history.addNote(source.name, r.revert, note);
      await this.event('Warning', 'ImageUpdateSkipped', note, r.revert);
    }
    this.walked = head;
  }

  private async event(
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    revision?: string,
  ): Promise<void> {
    const name = this.options.source.name;
    await this.options
      .record({
        type,
        reason,
        object: { kind: 'Source', namespace: '', name },
        message,
        source: name,
        ...(revision ? { revision } : {}),
      })
      .catch(() => undefined);
  }
}
