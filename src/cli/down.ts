import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { type CliContext, EXIT } from './context.js';

const IPTABLES_TEXT = {
  removed: 'removed',
  failed: 'not removed',
  skipped: 'none (userspace proxy mode)',
} as const;

/** Options of `berth down`, as commander parses them. */
interface DownCliOptions {
  config?: string;
  volumes?: boolean;
  yes?: boolean;
}

/**
 * `berth down [-c config] [--volumes] [--yes]`: removes everything the configured instance made
 * (containers, networks, iptables chains, node state directories, and in Redis the objects,
 * inventories, source states and work queues), keeping events and history, and the volumes of
 * PersistentVolumeClaims unless `--volumes`. Containers without the instance's labels are
 * never touched. Asks for confirmation on a terminal; elsewhere needs `--yes` (exit 2
 * without). Exit 0; 1 when Redis or Docker does not answer.
 */
export function registerDown(program: Command, ctx: CliContext): void {
  program
    .command('down')
    .description(
      'Remove everything Berth created for this instance (containers, networks, state); keeps events, history and volumes',
    )
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .option('--volumes', 'also remove the volumes of PersistentVolumeClaims (their data is lost)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (opts: DownCliOptions) => {
      const [
        { knownSources, openState },
        { connectDocker },
        { BERTH_QUEUES, queueWorkers, teardownDocker, teardownHost, teardownRedis },
      ] = await Promise.all([
        import('./open-state.js'),
        import('../runtime/index.js'),
        import('../teardown/index.js'),
      ]);
      const state = await openState(ctx, opts.config);
      try {
        const { config } = state;
        const prefix = config.redis.keyPrefix;
        if (!opts.yes && !(await confirm(ctx, config.instance, Boolean(opts.volumes)))) {
          ctx.stderr.write('berth down: nothing removed\n');
          ctx.exitCode = EXIT.ok;
          return;
        }
        const workers = await queueWorkers(state.redis, prefix);
        if (workers > 0) {
          ctx.stderr.write(
            `berth down: warning: ${workers} worker(s) are connected to the queues of "${config.instance}": a running \`berth up\` re-creates what this removes; stop it first\n`,
          );
        }
        const docker = await connectDocker(config.docker.socket);
        const redisDone = await teardownRedis(state.redis, prefix, await knownSources(state));
        const dockerDone = await teardownDocker(docker, config.instance, Boolean(opts.volumes));
        const hostDone = await teardownHost(
          config.instance,
          [path.join(config.stateDir, 'node'), `/dev/shm/berth/${config.instance}`],
          { iptables: config.network.proxyMode === 'iptables' },
        );
        const lines = [
          `Removed from instance "${config.instance}":`,
          `  containers:          ${dockerDone.containers}`,
          `  networks:            ${dockerDone.networks}`,
          `  volumes:             ${dockerDone.volumes}${dockerDone.volumesKept > 0 ? ` (${dockerDone.volumesKept} kept: --volumes removes them)` : ''}`,
          `  iptables chains:     ${IPTABLES_TEXT[hostDone.iptables]}${hostDone.iptablesError ? ` (${hostDone.iptablesError})` : ''}`,
          `  state directories:   ${hostDone.directories.length}`,
          `  objects:             ${redisDone.objects}`,
          `  source states:       ${redisDone.sources}`,
          `  inventories:         ${redisDone.inventories}`,
          `  revisions:           ${redisDone.revisions}`,
          `  queued jobs:         ${redisDone.jobs} (queues ${BERTH_QUEUES.join(', ')} emptied)`,
          'Kept: events and history.',
        ];
        for (const name of dockerDone.networksKept)
          lines.push(
            `Network ${name} kept: Docker refused to remove it (in use by other containers?)`,
          );
        ctx.stdout.write(`${lines.join('\n')}\n`);
        ctx.exitCode = EXIT.ok;
      } finally {
        state.close();
      }
    });
}

/** Asks on the terminal; off a terminal a ConfigError (exit 2) asks for --yes. */
async function confirm(ctx: CliContext, instance: string, volumes: boolean): Promise<boolean> {
  if (!ctx.stdout.isTTY || !process.stdin.isTTY) {
    throw new ConfigError(
      `berth down removes every container, network and Redis state of instance "${instance}": pass --yes to confirm`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Remove every container, network and state of instance "${instance}"${volumes ? ', and its volumes' : ''}? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
