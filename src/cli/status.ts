import type { Command } from 'commander';
import type { SourceConfig } from '../config/index.js';
import { describeRef } from '../config/index.js';
import type { HealthStatus } from '../health/index.js';
import type { SourceState, SyncPhase } from '../store/index.js';
import { type CliContext, EXIT } from './context.js';
import { ageOf } from './kubectl/human-duration.js';
import { printTable } from './kubectl/print-table.js';

/** Options of `berth status`, as commander parses them. */
interface StatusCliOptions {
  output?: string;
  config?: string;
}

/** One source as `berth status` shows it: its state, or what the configuration says of it. */
interface SourceView {
  name: string;
  repo: string;
  ref: string;
  prune: boolean;
  suspended: boolean;
  revision?: string;
  target?: string;
  targetSubject?: string;
  sync: SyncPhase;
  syncMessage?: string;
  health: HealthStatus;
  healthReason?: string;
  healthMessage?: string;
  lastSyncTime?: string;
  appliedAt?: string;
  ready?: number;
  total?: number;
  /** Set while an automated rollback pinned the source to this revision. */
  pinned?: string;
  /** Why the source needs a person (a rollback refused, the rollback limit reached). */
  flag?: string;
  lastHealthy?: string;
  rollbacks?: number;
}

/**
 * `berth status [-o json|yaml] [source]`: per source its repository, ref, the applied revision,
 * sync (OutOfSync while the target is not applied) and health (Suspended when suspended), the
 * last sync's age and a message. Exit 0; 1 for an unknown source or when Redis does not answer;
 * 2 on a usage or configuration error.
 */
export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('Show each source: revision, sync and health, last sync')
    .argument('[source]', 'only this source')
    .option('-o, --output <format>', 'json or yaml (default: a table)')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string | undefined, opts: StatusCliOptions) => {
      const [{ asList, parseOutput, printStructured }, { knownSources, openState, unknownSource }] =
        await Promise.all([import('./kubectl/output-format.js'), import('./open-state.js')]);
      const output = parseOutput(opts.output, ['json', 'yaml'] as const);
      const state = await openState(ctx, opts.config);
      let views: SourceView[];
      try {
        const names = await knownSources(state);
        if (name !== undefined && !names.includes(name)) throw unknownSource(name, names);
        const store = state.stores.sources;
        views = await Promise.all(
          (name === undefined ? names : [name]).map(async (n) =>
            sourceView(
              n,
              await store.get(n),
              state.config.sources.find((s) => s.name === n),
            ),
          ),
        );
      } finally {
        state.close();
      }
      if (output) ctx.stdout.write(printStructured(asList(views.map(asResource)), output));
      else if (views.length === 0) ctx.stderr.write('No sources configured or seen.\n');
      else ctx.stdout.write(table(views, new Date()));
      ctx.exitCode = EXIT.ok;
    });
}

function sourceView(
  name: string,
  s: SourceState | undefined,
  configured: SourceConfig | undefined,
): SourceView {
  if (!s) {
    return {
      name,
      repo: configured?.repo ?? '',
      ref: configured ? describeRef(configured.ref) : '',
      prune: configured?.prune ?? true,
      suspended: false,
      sync: 'OutOfSync',
      syncMessage: 'not seen yet: is `berth up` running?',
      health: 'Missing',
    };
  }
  // OutOfSync whenever the target is not what is applied, whatever verdict was recorded last.
  const sync: SyncPhase = s.sync === 'Synced' && s.target !== s.applied ? 'OutOfSync' : s.sync;
  const opt = <K extends keyof SourceState>(k: K) => (s[k] !== undefined ? { [k]: s[k] } : {});
  return {
    name,
    repo: s.repo,
    ref: s.ref,
    prune: s.prune,
    suspended: s.suspended,
    ...(s.applied ? { revision: s.applied } : {}),
    ...opt('target'),
    ...opt('targetSubject'),
    sync,
    ...opt('syncMessage'),
    health: s.suspended ? 'Suspended' : s.health,
    ...(s.suspended
      ? { healthReason: 'Suspended', healthMessage: 'syncing is suspended (berth resume)' }
      : { ...opt('healthReason'), ...opt('healthMessage') }),
    ...opt('lastSyncTime'),
    ...opt('appliedAt'),
    ...opt('ready'),
    ...opt('total'),
    ...opt('pinned'),
    ...opt('flag'),
    ...opt('lastHealthy'),
    ...opt('rollbacks'),
  } as SourceView;
}

function message(v: SourceView): string {
  if (v.syncMessage) return v.syncMessage;
  if (v.flag) return v.flag;
  if (v.pinned) return `pinned to ${v.pinned.slice(0, 7)} by a rollback`;
  const waiting =
    v.sync === 'OutOfSync' && v.target
      ? `revision ${v.target.slice(0, 7)} is not applied yet${v.targetSubject ? ` (${v.targetSubject})` : ''}`
      : undefined;
  if (v.suspended)
    return waiting ? `suspended: ${waiting} (berth resume applies it)` : 'suspended (berth resume)';
  return waiting ?? v.healthMessage ?? '';
}

function table(views: SourceView[], now: Date): string {
  return printTable(
    ['NAME', 'REPO', 'REF', 'REVISION', 'SYNC', 'HEALTH', 'LAST SYNC', 'MESSAGE'],
    views.map((v) => [
      v.name,
      v.repo,
      v.ref,
      v.revision ?? '<none>',
      v.sync,
      v.health,
      v.lastSyncTime ? ageOf(v.lastSyncTime, now) : '<never>',
      message(v),
    ]),
  );
}

/** A source as a kubectl-style resource of kind `Source`. */
function asResource(v: SourceView): Record<string, unknown> {
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'Source',
    metadata: { name: v.name },
    spec: { repo: v.repo, ref: v.ref, prune: v.prune, suspend: v.suspended },
    status: {
      revision: v.revision ?? null,
      ...(v.target ? { targetRevision: v.target } : {}),
      ...(v.targetSubject ? { targetSubject: v.targetSubject } : {}),
      sync: { status: v.sync, ...(v.syncMessage ? { message: v.syncMessage } : {}) },
      health: {
        status: v.health,
        ...(v.healthReason ? { reason: v.healthReason } : {}),
        ...(v.healthMessage ? { message: v.healthMessage } : {}),
      },
      lastSyncTime: v.lastSyncTime ?? null,
      ...(v.appliedAt ? { appliedAt: v.appliedAt } : {}),
      ...(v.total !== undefined ? { ready: v.ready ?? 0, total: v.total } : {}),
      ...(v.lastHealthy ? { lastHealthyRevision: v.lastHealthy } : {}),
      ...(v.rollbacks !== undefined ? { rollbacks: v.rollbacks } : {}),
      ...(v.pinned ? { pinnedRevision: v.pinned } : {}),
      ...(v.flag ? { flag: v.flag } : {}),
    },
  };
}
