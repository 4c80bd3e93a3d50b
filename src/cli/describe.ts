import type { Command } from 'commander';
import type { BerthConfig } from '../config/index.js';
import { qualifiedPlural, resolveKind } from '../kubectl/resource-kinds.js';
import { type CliContext, EXIT } from './context.js';
import type { InstanceAnswer } from './instance-api.js';

/** The resource names `berth describe` takes for a source. */
const SOURCE_NAMES: ReadonlySet<string> = new Set(['source', 'sources']);

/** Options of `berth describe`, as commander parses them. */
interface DescribeCliOptions {
  namespace: string;
  config?: string;
}

/**
 * `berth describe <kind> <name> [-n ns]`: one object as `kubectl describe` prints it, with its
 * events (newest 50, oldest first). Secrets show their keys and sizes only. Exit 0; 1 when the
 * object does not exist or Redis does not answer; 2 on a usage error.
 */
export function registerDescribe(program: Command, ctx: CliContext): void {
  program
    .command('describe')
    .description('Show one object in detail with its events, as kubectl describe')
    .argument('<kind>', 'kind: deployment/deploy, pod/po, service/svc, secret, ..., or source')
    .argument('<name>', 'object name')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (kindArg: string, name: string, opts: DescribeCliOptions) => {
      if (SOURCE_NAMES.has(kindArg.toLowerCase())) {
        await source(ctx, name, opts);
        return;
      }
      const kind = resolveKind(kindArg);
      const namespace = kind.namespaced ? opts.namespace : '';
      const config = await cliConfig(ctx, opts);
      const answer = await ask(
        ctx,
        config,
        `/api/v1/objects/${kind.plural}/${encodeURIComponent(name)}/describe?${new URLSearchParams({ namespace: opts.namespace })}`,
      );
      if (answer) {
        if (answer.status === 404) {
          ctx.stderr.write(
            `Error from server (NotFound): ${qualifiedPlural(kind)} "${name}" not found\n`,
          );
          ctx.exitCode = EXIT.failure;
          return;
        }
        ctx.stdout.write(answer.body);
        ctx.exitCode = EXIT.ok;
        return;
      }
      const [{ openState }, { describeObject }] = await Promise.all([
        import('./open-state.js'),
        import('../kubectl/describe-object.js'),
      ]);
      const state = await openState(ctx, opts.config, config);
      let text: string;
      try {
        const store = state.stores.objects;
        const object = await store.get(`${kind.kind}/${namespace}/${name}`);
        if (!object) {
          ctx.stderr.write(
            `Error from server (NotFound): ${qualifiedPlural(kind)} "${name}" not found\n`,
          );
          ctx.exitCode = EXIT.failure;
          return;
        }
        const events = await state.stores.events.forObject(
          { kind: kind.kind, namespace, name },
          50,
        );
        text = await describeObject({ object, store, events, now: new Date() });
      } finally {
        state.close();
      }
      ctx.stdout.write(text);
      ctx.exitCode = EXIT.ok;
    });
}

async function source(ctx: CliContext, name: string, opts: DescribeCliOptions): Promise<void> {
  const config = await cliConfig(ctx, opts);
  const answer = await ask(ctx, config, `/api/v1/sources/${encodeURIComponent(name)}/describe`);
  if (answer?.status === 200) {
    ctx.stdout.write(answer.body);
    ctx.exitCode = EXIT.ok;
    return;
  }
  // Unknown to the instance (or no instance): Redis says which sources there are.
  const [{ knownSources, openState, unknownSource }, { describeSource }] = await Promise.all([
    import('./open-state.js'),
    import('../kubectl/describe-source.js'),
  ]);
  const state = await openState(ctx, opts.config, config);
  let text: string;
  try {
    const known = await knownSources(state);
    if (!known.includes(name)) throw unknownSource(name, known);
    const current = await state.stores.sources.get(name);
    const events = await state.stores.events.forObject({ kind: 'Source', namespace: '', name }, 50);
    text = describeSource(name, current, events, new Date());
  } finally {
    state.close();
  }
  ctx.stdout.write(text);
  ctx.exitCode = EXIT.ok;
}

async function cliConfig(ctx: CliContext, opts: DescribeCliOptions): Promise<BerthConfig> {
  const { loadConfig } = await import('../config/index.js');
  return loadConfig({ env: ctx.env, cwd: ctx.cwd, ...(opts.config ? { path: opts.config } : {}) });
}

async function ask(
  ctx: CliContext,
  config: BerthConfig,
  path: string,
): Promise<InstanceAnswer | undefined> {
  const { askInstance } = await import('./instance-api.js');
  return askInstance(ctx, config, path);
}
