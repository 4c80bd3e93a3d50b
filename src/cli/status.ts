import type { Command } from 'commander';
import type { BerthConfig } from '../config/index.js';
import { ageOf } from '../kubectl/human-duration.js';
import { printTable } from '../kubectl/print-table.js';
import {
  asResource,
  type SourceView,
  sourceView,
  viewOfResource,
} from '../kubectl/source-resource.js';
import type { InstanceLeases, LeaseRecord } from '../lease/index.js';
import { type CliContext, EXIT } from './context.js';

/** Options of `berth status`, as commander parses them. */
interface StatusCliOptions {
  output?: string;
  config?: string;
}

/**
 * `berth status [-o json|yaml] [source]`: per source its repository, ref, the applied revision,
 * sync (OutOfSync while the target is not applied) and health (Suspended when suspended), the
 * last sync's age and a message; then the running processes of the instance (from their leases):
 * which one leads, which runs the node, which stand by. Exit 0; 1 for an unknown source or when
 * Redis does not answer; 2 on a usage or configuration error.
 */
export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description('Show each source: revision, sync and health, last sync')
    .argument('[source]', 'only this source')
    .option('-o, --output <format>', 'json or yaml (default: a table)')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string | undefined, opts: StatusCliOptions) => {
      const { asList, parseOutput, printStructured } = await import('../kubectl/output-format.js');
      const output = parseOutput(opts.output, ['json', 'yaml'] as const);
      const { loadConfig } = await import('../config/index.js');
      const config = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      const fromInstance = await viewsFromInstance(ctx, config, name, !output);
      const { views, leases } =
        fromInstance ?? (await viewsFromStore(ctx, opts, config, name, !output));
      if (output) ctx.stdout.write(printStructured(asList(views.map(asResource)), output));
      else if (views.length === 0) ctx.stderr.write('No sources configured or seen.\n');
      else ctx.stdout.write(table(views, new Date()));
      if (leases && leases.processes.length > 0)
        ctx.stdout.write(`\n${processTable(leases, new Date())}`);
      ctx.exitCode = EXIT.ok;
    });
}

/** What `status` prints: the sources, and (for the table) the live processes. */
interface StatusData {
  views: SourceView[];
  leases?: InstanceLeases;
}

/**
 * The sources (and with `withLeases` the processes) as the running instance's API lists them
 * (the same builders), or undefined when no instance of this store answers. An unknown `name`
 * is left to the store path, which names the known sources in its error.
 */
async function viewsFromInstance(
  ctx: CliContext,
  config: BerthConfig,
  name: string | undefined,
  withLeases: boolean,
): Promise<StatusData | undefined> {
  const { askInstance } = await import('./instance-api.js');
  const [answer, processes] = await Promise.all([
    askInstance(ctx, config, '/api/v1/sources'),
    withLeases ? askInstance(ctx, config, '/api/v1/processes') : undefined,
  ]);
  if (answer?.status !== 200) return undefined;
  if (withLeases && processes?.status !== 200) return undefined;
  const leases = processes ? (JSON.parse(processes.body) as InstanceLeases) : undefined;
  const list = JSON.parse(answer.body) as { items: Record<string, unknown>[] };
  const views = list.items.map(viewOfResource);
  if (name === undefined) return { views, ...(leases ? { leases } : {}) };
  const one = views.filter((v) => v.name === name);
  return one.length === 1 ? { views: one, ...(leases ? { leases } : {}) } : undefined;
}

/** The sources read from Redis (no instance running, or `BERTH_CLI_API=off`). */
async function viewsFromStore(
  ctx: CliContext,
  opts: StatusCliOptions,
  config: BerthConfig,
  name: string | undefined,
  withLeases: boolean,
): Promise<StatusData> {
  const { knownSources, openState, unknownSource } = await import('./open-state.js');
  const state = await openState(ctx, opts.config, config);
  try {
    let leases: InstanceLeases | undefined;
    if (withLeases) {
      const { readInstanceLeases } = await import('../lease/index.js');
      leases = await readInstanceLeases(state.redis, state.config.redis.keyPrefix);
    }
    const names = await knownSources(state);
    if (name !== undefined && !names.includes(name)) throw unknownSource(name, names);
    const store = state.stores.sources;
    const views = await Promise.all(
      (name === undefined ? names : [name]).map(async (n) =>
        sourceView(
          n,
          await store.get(n),
          state.config.sources.find((s) => s.name === n),
        ),
      ),
    );
    return { views, ...(leases ? { leases } : {}) };
  } finally {
    state.close();
  }
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

/** The live processes: which leads, which runs its node, which stand by. */
function processTable(leases: InstanceLeases, now: Date): string {
  const same = (a: LeaseRecord, b: LeaseRecord | undefined) =>
    b !== undefined && a.host === b.host && a.pid === b.pid;
  return printTable(
    ['PROCESS', 'ROLES', 'NODE', 'STARTED'],
    leases.processes.map((p) => {
      const roles = [
        ...(same(p, leases.leader) ? [`leader (token ${leases.leader?.token})`] : []),
        ...(leases.nodes.some((n) => same(p, n)) ? ['node'] : []),
      ];
      return [
        `${p.host} pid ${p.pid}`,
        roles.length > 0 ? roles.join(', ') : p.worker ? 'worker' : 'standby',
        p.node,
        ageOf(p.startedAt, now),
      ];
    }),
  );
}
