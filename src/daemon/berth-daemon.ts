import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import {
  type ApiServer,
  resolveApiToken,
  StateReader,
  sourceActions,
  startApiServer,
  WebhookHandler,
} from '../api/index.js';
import type { BerthConfig, SourceConfig } from '../config/index.js';
import { type ImageUpdates, startImageUpdates } from '../image-updates/index.js';
import { type Fence, LeaseLostError } from '../lease/index.js';
import {
  AgeKeyring,
  decryptAndValidate,
  formatProblem,
  keyringFor,
  repositoryViewFor,
  type ValidateOptions,
} from '../manifests/index.js';
import { revisionsTotal } from '../metrics/index.js';
import type { Notifier } from '../notify/index.js';
import {
  impactLine,
  makePlan,
  type PlanObject,
  type PlanReport,
  podImpact,
  renderText,
} from '../plan/index.js';
import { PullRequestReviewer, planObjects, planRef } from '../review/index.js';
import {
  type Revision,
  type RevisionTrigger,
  SourceSet,
  type SourceWatcher,
} from '../source/index.js';
import { type BerthEvent, revertedCommits, type Stores } from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';

/** What the daemon needs: configuration, a Redis connection, a logger. */
export interface DaemonOptions {
  config: BerthConfig;
  redis: Redis;
  /** The stores of this process (createStores). */
  stores: Stores;
  /** The notification targets of this process: every event recorded is sent to them. */
  notifier: Notifier;
  logger: Logger;
  /** The validation policy (berth.yaml `policy`). */
  policy: ValidateOptions;
  /** Environment secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Hands a valid revision over to be applied (ControllerWorkers.publish). Without it the
   * daemon only validates and plans.
   */
  publish?(source: SourceConfig, revision: Revision, objects: readonly PlanObject[]): Promise<void>;
  /** For pod logs over the API. */
  docker?: Docker;
  /** The Prometheus text of `GET /metrics`. */
  metrics?: () => Promise<{ contentType: string; text: string }>;
  /**
   * The leader's fence (HA): the history is written only while this process leads. `publish`
   * carries it too. Default none (a process that never shares its Redis with another).
   */
  fence?: Fence;
  /** The leader's lease check, run before Berth moves a branch (image update commits). */
  checkLease?: () => Promise<void>;
}

/** The last revision of a source that passed validation: what stays deployed while later ones fail. */
export interface GoodRevision {
  revision: Revision;
  objects: number;
}

/**
 * Berth running in one process: a watcher per source; the HTTP API (plans, and webhooks: a push
 * starts a fetch, a pull request is reviewed in the background); and, for every new revision,
 * its validation, its plan against what the source last applied, an event (also sent to the
 * notification targets), a history entry, and its hand-over to the sync queue (`publish`). An
 * invalid revision is reported (every problem, file:line:col) and the last good one stays.
 */
export class BerthDaemon {
  private sources: SourceSet | undefined;
  private readonly good = new Map<string, GoodRevision>();
  /** Per source, the revision being handled: revisions are handled one at a time, in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private api: ApiServer | undefined;
  private imageUpdates: ImageUpdates | undefined;
  private readonly reviewer: PullRequestReviewer;

  constructor(private readonly options: DaemonOptions) {
    this.reviewer = new PullRequestReviewer({
      config: options.config,
      policy: options.policy,
      logger: options.logger,
      ...(options.env ? { env: options.env } : {}),
    });
  }

  /** Starts the API server and every source's watcher; resolves once each source had its first look. */
  async start(): Promise<void> {
    const { config, logger } = this.options;
    const sources = new SourceSet(config.sources, {
      stateDir: config.stateDir,
      logger,
      ...(this.options.env ? { env: this.options.env } : {}),
      onRevision: (revision, trigger) => this.enqueue(revision, trigger),
      onError: (err) => {
        const name = String(err.data.source);
        const kept = this.good.get(name);
        logger.error(
          { source: name, code: err.code, keeping: kept?.revision.sha },
          `source ${name}: ${err.message}`,
        );
        const keeping = kept ? `; keeping ${kept.revision.sha.slice(0, 7)}` : '';
        void this.record({
          type: 'Warning',
          reason: err.code,
          object: { kind: 'Source', namespace: '', name },
          message: `${err.message}${keeping}`,
          source: name,
          ...(kept ? { revision: kept.revision.sha } : {}),
        }).catch(() => {});
      },
    });
    this.sources = sources;
    const handler = new WebhookHandler({
      target: (name) => sources.webhookTarget(name),
      deliveries: this.options.stores.deliveries,
      onPullRequest: (source, pr) => this.reviewer.review(source, pr),
      ...(this.options.env ? { env: this.options.env } : {}),
      logger,
    });
    const plans = async (name: string, query: { ref?: string; against?: string }) => {
      const source = config.sources.find((s) => s.name === name);
      if (!source) return undefined;
      const env = this.options.env ? { env: this.options.env } : {};
      return planRef({ config, source, ...query, policy: this.options.policy, ...env });
    };
    this.api = await startApiServer({
      host: config.api.host,
      port: config.api.port,
      token: resolveApiToken(config, this.options.env),
      anonymousRead: config.api.anonymousRead,
      webhooks: handler,
      logger,
      plans,
      state: new StateReader({
        redis: this.options.redis,
        prefix: config.redis.keyPrefix,
        instance: config.instance,
        stores: this.options.stores,
        sources: config.sources,
        ...(this.options.docker ? { docker: this.options.docker } : {}),
      }),
      actions: sourceActions({
        config,
        redis: this.options.redis,
        watcher: (name) => sources.get(name),
        plan: (name, ref) => plans(name, { ref }),
        ...(this.options.env ? { env: this.options.env } : {}),
      }),
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
    });
    logger.info({ url: this.api.url }, 'API listening: webhooks at /api/v1/webhooks/<source>');
    await sources.start();
    await this.startImageUpdates(sources);
    await this.idle();
  }

  /**
   * Image update automation runs where the source watchers run (the leader): a scanner per
   * source that has `imageUpdates`.
   */
  private async startImageUpdates(sources: SourceSet): Promise<void> {
    const { config, logger } = this.options;
    if (!config.sources.some((s) => (s.imageUpdates?.length ?? 0) > 0)) return;
    const info = (await this.options.docker?.info().catch(() => undefined)) as
      | { RegistryConfig?: Parameters<typeof startImageUpdates>[0]['dockerRegistryConfig'] }
      | undefined;
    this.imageUpdates = startImageUpdates({
      config,
      redis: this.options.redis,
      record: (event) => this.record(event),
      refresh: async (name) => {
        await sources.get(name)?.refresh('manual');
      },
      logger,
      ...(this.options.checkLease ? { beforeWrite: this.options.checkLease } : {}),
      ...(info?.RegistryConfig ? { dockerRegistryConfig: info.RegistryConfig } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
    });
  }

  /** The running source watchers (undefined before start). */
  sourceSet(): SourceSet | undefined {
    return this.sources;
  }

  /** The last good revision of each source. */
  goodRevisions(): ReadonlyMap<string, GoodRevision> {
    return this.good;
  }

  /** Waits until every revision seen so far has been handled. */
  async idle(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  async stop(): Promise<void> {
    await this.imageUpdates?.stop();
    await this.sources?.stop();
    await this.idle();
    await this.options.notifier.drain();
    await this.reviewer.idle();
    await this.api?.close();
  }

  /** Records an event in Redis and sends it to the configured notification targets. */
  private async record(event: BerthEvent): Promise<void> {
    this.options.notifier.notify(await this.options.stores.events.record(event));
  }

  /** Keeps the plan of a revision as `berth plan` prints it (the dashboard's history shows it). */
  private async keepPlan(
    source: SourceConfig,
    revision: Revision,
    report: Pick<PlanReport, 'valid' | 'problems'> & Partial<Pick<PlanReport, 'plan' | 'impacts'>>,
  ): Promise<void> {
    const full: PlanReport = {
      source: source.name,
      head: { ref: revision.sha.slice(0, 7), sha: revision.sha },
      base: { live: true },
      impacts: [],
      ...report,
    };
    await this.options.stores.history
      .setPlan(source.name, revision.sha, renderText(full))
      .catch(() => undefined);
  }

  private enqueue(revision: Revision, trigger: RevisionTrigger): void {
    const source = this.options.config.sources.find(
      (s) => s.name === revision.source,
    ) as SourceConfig;
    const previous = this.queues.get(source.name) ?? Promise.resolve();
    this.queues.set(
      source.name,
      previous.then(() =>
        this.handle(source, revision, trigger).catch((err) => {
          if (err instanceof LeaseLostError) {
            this.options.logger.warn(
              { source: source.name, revision: revision.sha },
              'not the leader any more: the revision is left to the new leader',
            );
            return;
          }
          this.options.logger.error(
            { source: source.name, revision: revision.sha, err: errorMessage(err) },
            'handling the revision failed',
          );
        }),
      ),
    );
  }

  /** Validates a new revision and prints its plan; an invalid one leaves the last good in place. */
  private async handle(
    source: SourceConfig,
    revision: Revision,
    trigger: RevisionTrigger,
  ): Promise<void> {
    const { logger } = this.options;
    const log = logger.child({ source: source.name, revision: revision.sha.slice(0, 7) });
    const watcher = this.sources?.get(source.name) as SourceWatcher;
    const keyring = await keyringFor(source.decryption, this.options.env).catch((err) => {
      log.error({ err: errorMessage(err) }, 'cannot read the age identities of this source');
      return AgeKeyring.empty;
    });
    const files = await watcher.readFiles(revision);
    const repository = await repositoryViewFor(files, revision.path, () =>
      watcher.readRepositoryFiles(revision),
    );
    const result = await decryptAndValidate(files, { ...this.options.policy, repository }, keyring);
    const object = { kind: 'Source', namespace: '', name: source.name };
    const reverts = revertedCommits(revision.message);
    const history = (result: 'Valid' | 'Invalid', errors: number) => {
      revisionsTotal.inc({ source: source.name, result: result.toLowerCase() });
      return this.options.stores.history.record(
        source.name,
        {
          revision: revision.sha,
          subject: revision.subject,
          author: revision.author,
          committedAt: revision.committedAt,
          seenAt: new Date().toISOString(),
          trigger: reverts.length > 0 ? 'rollback' : trigger === 'interval' ? 'poll' : trigger,
          result,
          errors,
          reverts,
        },
        this.options.fence,
      );
    };
    for (const p of result.problems.filter((p) => p.severity === 'warning'))
      log.warn(formatProblem(p));
    if (!result.valid) {
      const errors = result.problems.filter((p) => p.severity === 'error');
      for (const p of errors) log.error(formatProblem(p));
      // After a restart on a bad head, what runs is the revision the inventory last applied.
      const kept =
        this.good.get(source.name)?.revision.sha ??
        (await this.options.stores.inventory.load(source.name))?.revision;
      const message = `revision ${revision.sha.slice(0, 7)} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}); ${kept ? `keeping ${kept.slice(0, 7)}` : 'nothing deployed yet'}`;
      log.error(message);
      await this.record({
        type: 'Warning',
        reason: 'ValidationFailed',
        object,
        message,
        source: source.name,
        revision: revision.sha,
      });
      await history('Invalid', errors.length);
      await this.keepPlan(source, revision, { valid: false, problems: result.problems });
      return;
    }
    this.good.set(source.name, { revision, objects: result.state.objects.size });
    const desired = planObjects(result.state);
    const live = (await this.options.stores.inventory.load(source.name))?.entries ?? [];
    const plan = makePlan({ desired, live, prune: source.prune });
    const s = plan.summary;
    log.info(
      `revision ${revision.sha.slice(0, 7)} is valid: ${result.state.objects.size} objects; plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged`,
    );
    for (const a of plan.actions.filter((a) => a.type !== 'unchanged')) {
      log.info(
        `  ${a.type} ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}${a.reason ? ` (${a.reason})` : ''}`,
      );
    }
    for (const i of podImpact(plan.actions, desired)) log.info(`  ${i.key}: ${impactLine(i)}`);
    await this.record({
      type: 'Normal',
      reason: 'RevisionValidated',
      object,
      message: `revision ${revision.sha.slice(0, 7)} is valid: ${result.state.objects.size} objects`,
      source: source.name,
      revision: revision.sha,
    });
    await history('Valid', 0);
    await this.keepPlan(source, revision, {
      valid: true,
      plan,
      impacts: podImpact(plan.actions, desired),
      problems: result.problems,
    });
    await this.options.publish?.(source, revision, desired);
  }
}
