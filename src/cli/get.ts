import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { maskSecret } from '../kubectl/mask-secret.js';
import { parseSelector } from '../kubectl/parse-selector.js';
import { printTable } from '../kubectl/print-table.js';
import { COLUMNS } from '../kubectl/resource-columns.js';
import {
  objectName,
  qualifiedPlural,
  type ResourceKind,
  resolveKinds,
} from '../kubectl/resource-kinds.js';
import { selectorMatches } from '../manifests/label-selector.js';
import type { StoredObject } from '../store/index.js';
import { type CliContext, EXIT } from './context.js';

/** Options of `berth get`, as commander parses them. */
interface GetCliOptions {
  namespace: string;
  allNamespaces?: boolean;
  output?: string;
  selector?: string;
  config?: string;
}

/** The objects of one kind `get` found. */
interface Found {
  kind: ResourceKind;
  objects: StoredObject[];
}

/**
 * `berth get <kind[,kind...]> [name] [-n ns] [-A] [-o wide|json|yaml|name] [-l selector]`: the
 * objects of the store as `kubectl get` prints them (its kind names, short names and columns).
 * Secret values are never printed: every `data`/`stringData` value is masked. Exit 0; 1 when
 * a named object does not exist or Redis does not answer; 2 on a usage error.
 */
export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get')
    .description('List objects Berth manages, as kubectl get (deploy, rs, pods, svc, cm, ...)')
    .argument(
      '<kind>',
      'kind: deployments/deploy, pods/po, services/svc...; several with commas; all',
    )
    .argument('[name]', 'one object by name')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace (adds a NAMESPACE column)')
    .option('-o, --output <format>', 'wide, json, yaml or name (default: a table)')
    .option('-l, --selector <selector>', 'label selector: app=web,tier!=db,env in (a,b)')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (kindArg: string, name: string | undefined, opts: GetCliOptions) => {
      const [{ openState }, { asList, parseOutput, printStructured }] = await Promise.all([
        import('./open-state.js'),
        import('../kubectl/output-format.js'),
      ]);
      const output = parseOutput(opts.output, ['wide', 'json', 'yaml', 'name'] as const);
      const kinds = resolveKinds(kindArg);
      if (name !== undefined && kinds.length > 1)
        throw new ConfigError('a name can only be given with one kind');
      if (name !== undefined && opts.allNamespaces)
        throw new ConfigError('a name cannot be given with --all-namespaces');
      const selector = opts.selector !== undefined ? parseSelector(opts.selector) : undefined;
      const state = await openState(ctx, opts.config);
      const found: Found[] = [];
      try {
        const store = state.stores.objects;
        for (const kind of kinds) {
          const ns = kind.namespaced ? opts.namespace : '';
          if (name !== undefined) {
            const object = await store.get(`${kind.kind}/${ns}/${name}`);
            if (!object) {
              ctx.stderr.write(
                `Error from server (NotFound): ${qualifiedPlural(kind)} "${name}" not found\n`,
              );
              ctx.exitCode = EXIT.failure;
              return;
            }
            found.push({ kind, objects: [object] });
            continue;
          }
          let objects = await store.list(kind.kind, opts.allNamespaces ? undefined : ns);
          if (selector)
            objects = objects.filter((o) => selectorMatches(selector, o.metadata.labels ?? {}));
          found.push({ kind, objects });
        }
      } finally {
        state.close();
      }
      const masked = found.map((f) => ({ ...f, objects: f.objects.map(maskSecret) }));
      const all = masked.flatMap((f) => f.objects);
      ctx.exitCode = EXIT.ok;
      if (output === 'json' || output === 'yaml') {
        ctx.stdout.write(printStructured(name !== undefined ? all[0] : asList(all), output));
        return;
      }
      if (all.length === 0) {
        const clusterWide = opts.allNamespaces || kinds.every((k) => !k.namespaced);
        ctx.stderr.write(
          clusterWide
            ? 'No resources found\n'
            : `No resources found in ${opts.namespace} namespace.\n`,
        );
        return;
      }
      if (output === 'name') {
        ctx.stdout.write(
          masked
            .flatMap((f) => f.objects.map((o) => `${objectName(f.kind, o.metadata.name)}\n`))
            .join(''),
        );
        return;
      }
      const tables = masked
        .filter((f) => f.objects.length > 0)
        .map((f) =>
          table(f, {
            wide: output === 'wide',
            allNamespaces: Boolean(opts.allNamespaces),
            qualify: kinds.length > 1,
          }),
        );
      ctx.stdout.write(tables.join('\n'));
    });
}

function table(
  f: Found,
  options: { wide: boolean; allNamespaces: boolean; qualify: boolean },
): string {
  const columns = COLUMNS[f.kind.kind];
  if (!columns) throw new Error(`no columns for ${f.kind.kind}`);
  const nsColumn = options.allNamespaces && f.kind.namespaced;
  const now = new Date();
  const header = [
    ...(nsColumn ? ['NAMESPACE'] : []),
    ...columns.header,
    ...(options.wide ? columns.wide : []),
  ];
  const rows = f.objects.map((o) => {
    const { cells, wide } = columns.row(o, now);
    if (options.qualify) cells[0] = objectName(f.kind, o.metadata.name);
    return [
      ...(nsColumn ? [o.metadata.namespace ?? ''] : []),
      ...cells,
      ...(options.wide ? wide : []),
    ];
  });
  return printTable(header, rows);
}
