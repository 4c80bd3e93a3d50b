import type { Command } from 'commander';
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
      const [{ loadConfig }, { connectDocker, copyContainerLogs }, { findPodLogContainer }] =
        await Promise.all([
          import('../config/index.js'),
          import('../runtime/index.js'),
          import('../kubectl/pod-log-container.js'),
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
      const found = await findPodLogContainer(docker, {
        instance: config.instance,
        namespace: opts.namespace,
        pod: podName,
        ...(opts.container ? { container: opts.container } : {}),
        ...(opts.previous ? { previous: true } : {}),
      });
      if ('problem' in found) {
        ctx.stderr.write(
          found.problem === 'NotFound'
            ? `Error from server (NotFound): ${found.message}\n`
            : found.problem === 'BadContainer'
              ? `error: ${found.message}\n`
              : `Error from server (BadRequest): ${found.message}\n`,
        );
        ctx.exitCode = EXIT.failure;
        return;
      }
      if (found.defaulted)
        ctx.stderr.write(
          `Defaulted container "${found.container}" out of: ${found.containers.join(', ')}\n`,
        );
      await copyContainerLogs(docker, found.id, ctx, {
        ...(opts.follow ? { follow: true, stop: ctx.stopSignal } : {}),
        ...(tail !== undefined ? { tail } : {}),
      });
    });
}
