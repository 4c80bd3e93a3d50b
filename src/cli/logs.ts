import type { Command } from 'commander';
import type { NODE_LABELS } from '../node/index.js';
import type { LABELS } from '../runtime/index.js';
import { type CliContext, EXIT } from './context.js';

/** Options of `berth logs`, as commander parses them. */
interface LogsOptions {
  config?: string;
  namespace: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tail?: string;
}

/**
 * `berth logs <pod> [-n ns] [-c container] [-f] [--previous] [--tail N]`: prints a pod
 * container's output as kubectl does (stdout to stdout, stderr to stderr). Without `-c` a
 * one-container pod needs none; otherwise the first container is used and named on stderr.
 */
export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("Print the logs of a pod's container")
    .argument('<pod>', 'pod name')
    .option('--config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .option('-n, --namespace <ns>', 'namespace of the pod', 'default')
    .option('-c, --container <name>', 'container name (default: the only or first container)')
    .option('-f, --follow', 'keep streaming new output until the container stops or Ctrl-C')
    .option('-p, --previous', 'the previous (exited) instance of the container')
    .option('--tail <lines>', 'only the last N lines')
    .action(async (podName: string, opts: LogsOptions) => {
      const [
        { loadConfig },
        { connectDocker, copyContainerLogs, instanceFilter, LABELS },
        { NODE_LABELS },
      ] = await Promise.all([
        import('../config/index.js'),
        import('../runtime/index.js'),
        import('../node/index.js'),
      ]);
      const config = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      const tail = opts.tail !== undefined ? Number(opts.tail) : undefined;
      if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
        ctx.stderr.write(`berth logs: --tail must be a whole number, not "${opts.tail}"\n`);
        ctx.exitCode = EXIT.usage;
        return;
      }
      const docker = await connectDocker(config.docker.socket);
      const list = await docker.listContainers({
        all: true,
        filters: JSON.stringify({
          label: [
            ...instanceFilter(config.instance),
            `${LABELS.namespace}=${opts.namespace}`,
            `${LABELS.pod}=${podName}`,
          ],
        }),
      });
      const containers = list.filter((c) => c.Labels[NODE_LABELS.role] !== 'sandbox');
      if (list.length === 0) {
        ctx.stderr.write(
          `Error from server (NotFound): pods "${podName}" not found in namespace "${opts.namespace}"\n`,
        );
        ctx.exitCode = EXIT.failure;
        return;
      }
      const names = specOrder(list, containers, { node: NODE_LABELS, runtime: LABELS });
      const all = [
        ...new Set([...names, ...containers.map((c) => c.Labels[LABELS.container] as string)]),
      ];
      let name = opts.container;
      if (!name) {
        name = names[0];
        if (names.length > 1)
          ctx.stderr.write(`Defaulted container "${name}" out of: ${names.join(', ')}\n`);
      }
      if (!name || !all.includes(name)) {
        ctx.stderr.write(
          `error: container ${name ?? '(none)'} is not valid for pod ${podName}; choose one of: [${all.join(' ')}]\n`,
        );
        ctx.exitCode = EXIT.failure;
        return;
      }
      const isPrevious = (c: (typeof containers)[number]) =>
        c.Names.some((n) => n.endsWith('_previous'));
      const target = containers.find(
        (c) => c.Labels[LABELS.container] === name && isPrevious(c) === Boolean(opts.previous),
      );
      if (!target) {
        ctx.stderr.write(
          opts.previous
            ? `Error from server (BadRequest): previous terminated container "${name}" in pod "${podName}" not found\n`
            : `Error from server (BadRequest): container "${name}" in pod "${podName}" is waiting to start\n`,
        );
        ctx.exitCode = EXIT.failure;
        return;
      }
      await copyContainerLogs(docker, target.Id, ctx, {
        ...(opts.follow ? { follow: true, stop: ctx.stopSignal } : {}),
        ...(tail !== undefined ? { tail } : {}),
      });
    });
}

/** App container names in the pod spec's order (from the sandbox's label), else Docker's. */
function specOrder(
  list: Array<{ Labels: Record<string, string> }>,
  containers: Array<{ Labels: Record<string, string> }>,
  labels: { node: typeof NODE_LABELS; runtime: typeof LABELS },
): string[] {
  const { node: NODE_LABELS, runtime: LABELS } = labels;
  const spec = list.find((c) => c.Labels[NODE_LABELS.podSpec])?.Labels[NODE_LABELS.podSpec];
  if (spec) {
    const pod = JSON.parse(spec) as { spec: { containers: Array<{ name: string }> } };
    return pod.spec.containers.map((c) => c.name);
  }
  return [
    ...new Set(
      containers
        .filter((c) => c.Labels[NODE_LABELS.role] === 'app')
        .map((c) => c.Labels[LABELS.container] as string),
    ),
  ];
}
