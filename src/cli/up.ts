import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import type { BerthConfig } from '../config/index.js';
import type { CliContext } from './context.js';
import { defaultSourceName, validatePolicy } from './policy.js';

/** Options of `berth up`, as commander parses them. */
interface UpOptions {
  config?: string;
  repo?: string;
  branch?: string;
  tag?: string;
  commit?: string;
  path?: string;
  name?: string;
  interval?: string;
  example?: boolean;
  worker?: boolean;
}

/** `berth up`: runs Berth in the foreground for the configured sources (or one given by flags). */
export function registerUp(program: Command, ctx: CliContext): void {
  program
    .command('up')
    .description(
      'Run Berth in the foreground: watch the sources and keep this host converged to them',
    )
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .option(
      '--example',
      'run the bundled example repository (made a git repository under the state directory)',
    )
    .option(
      '--repo <path|url>',
      'run one source from this repository instead of the configured sources',
    )
    .option('--branch <name>', 'with --repo: branch to track (default main)')
    .option('--tag <name>', 'with --repo: tag to deploy')
    .option('--commit <sha>', 'with --repo: commit to pin')
    .option(
      '--path <dir>',
      'with --repo: directory of the manifests inside the repository (default .)',
    )
    .option('--name <name>', 'with --repo: source name (default: the repository directory name)')
    .option(
      '--interval <duration>',
      'with --repo: fetch interval of a remote repository (default 60s)',
    )
    .option(
      '--worker',
      'run only the controller workers (sync and reconcile queues), sharing the work of another berth up on the same Redis',
    )
    .action(async (opts: UpOptions) => {
      (await import('../util/small-heap.js')).useSmallHeap();
      const config = await resolveConfig(opts, ctx);
      const [
        { startBerth },
        { connectDocker },
        { connectRedis, redactUrl },
        { createLogger },
        { useSecretEncryption },
      ] = await Promise.all([
        import('../daemon/index.js'),
        import('../runtime/index.js'),
        import('../store/index.js'),
        import('../util/logger.js'),
        import('./secret-encryption.js'),
      ]);
      const log = createLogger({
        level: config.logLevel,
        destination: ctx.stderr,
        format: config.logFormat ?? (ctx.stderr.isTTY ? 'text' : 'json'),
      });
      useSecretEncryption(config, ctx.env);
      const redis = await connectRedis(config.redis.url, {
        onError: (err) => log.warn({ err: err.message }, 'Redis connection error; reconnecting'),
      });
      log.info(
        { url: redactUrl(config.redis.url), prefix: config.redis.keyPrefix },
        'connected to Redis',
      );
      // Whatever fails, the Redis connection goes: a failed start must not leave the process hanging.
      try {
        const docker = await connectDocker(config.docker.socket);
        const version = await docker.version();
        log.info(
          { socket: config.docker.socket, version: version.Version },
          'connected to the Docker engine',
        );
        const berth = await startBerth({
          config,
          redis,
          docker,
          logger: log,
          policy: validatePolicy(config),
          env: ctx.env,
          role: opts.worker ? 'worker' : 'all',
        });
        log.info(
          opts.worker
            ? { instance: config.instance }
            : { instance: config.instance, sources: config.sources.map((s) => s.name) },
          opts.worker
            ? 'berth worker is up: reconciling the queues; press Ctrl-C to stop'
            : berth.leading()
              ? 'berth is up: converging this host to the sources; press Ctrl-C to stop'
              : 'berth is up as a standby: another process leads (berth status names it); this one takes over if it dies; press Ctrl-C to stop',
        );
        const signal = await ctx.stopSignal;
        // stop() shuts the node's door before its first await: not one container starts after this.
        const stopping = berth.stop();
        log.info(
          { signal },
          'stopping: no container is started any more (containers keep running; berth down removes them once this process has exited)',
        );
        await stopping;
      } finally {
        redis.disconnect();
      }
    });
}

async function resolveConfig(opts: UpOptions, ctx: CliContext): Promise<BerthConfig> {
  const refFlags = (['branch', 'tag', 'commit', 'path', 'name', 'interval'] as const).filter(
    (k) => opts[k] !== undefined,
  );
  if (opts.example && opts.repo)
    throw new ConfigError('--example and --repo cannot be used together');
  if (!opts.repo && !opts.example && refFlags.length > 0) {
    throw new ConfigError(`--${refFlags[0]} needs --repo`);
  }
  const base = { env: ctx.env, cwd: ctx.cwd, ...(opts.config ? { path: opts.config } : {}) };
  const { loadConfig } = await import('../config/index.js');
  if (opts.example) {
    const { ensureExampleRepo } = await import('./example-repo.js');
    const { stateDir } = loadConfig(base);
    const { dir, created } = await ensureExampleRepo(stateDir);
    ctx.stderr.write(
      created
        ? `berth: made the example repository at ${dir}\n       commit there to deploy a change: cd ${dir} && $EDITOR web/configmap.yaml && git commit -am 'Change the page'\n`
        : `berth: using the example repository at ${dir} (commit there to deploy)\n`,
    );
    return loadConfig({
      ...base,
      source: { name: 'example', repo: dir, branch: 'main', rollback: { enabled: true } },
    });
  }
  if (opts.repo) {
    const name = opts.name ?? defaultSourceName(opts.repo);
    return loadConfig({
      ...base,
      source: {
        name,
        repo: opts.repo,
        ...(opts.branch ? { branch: opts.branch } : {}),
        ...(opts.tag ? { tag: opts.tag } : {}),
        ...(opts.commit ? { commit: opts.commit } : {}),
        ...(opts.path ? { path: opts.path } : {}),
        ...(opts.interval ? { interval: opts.interval } : {}),
      },
    });
  }
  const config = loadConfig(base);
  if (config.sources.length === 0 && !opts.worker) {
    throw new ConfigError(
      'nothing to run: give --example, --repo PATH|URL, or list sources in berth.yaml',
    );
  }
  return config;
}
