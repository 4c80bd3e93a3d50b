import type Docker from 'dockerode';
import { LABELS } from '../runtime/index.js';
import { expand } from './env.js';
import { containerName, NODE_LABELS, podLabels, specHash } from './names.js';
import type { Container, Pod } from './pod-spec.js';
import { requireQuantity } from './quantity.js';
import { dockerSecurity } from './security.js';

/** What {@link containerCreateOptions} needs beside the spec. */
export interface ContainerContext {
  instance: string;
  /** The sandbox container's id: the namespaces joined. Unset for a pod without a sandbox. */
  sandboxId?: string;
  /**
   * A pod without a sandbox: the pod-level create options (podNetworkOptions) and labels
   * (aloneLabels) its one container holds itself.
   */
  alone?: {
    options: Docker.ContainerCreateOptions & { HostConfig: Docker.HostConfig };
    labels: Record<string, string>;
  };
  role: 'init' | 'app';
  restartCount: number;
  /** Resolved `NAME=value` lines (resolveEnv). */
  env: string[];
  /** Docker binds of the volumeMounts (volumeBinds). */
  binds: string[];
  /** The image's configured user ('' for root), for runAsNonRoot. */
  imageUser: string;
  /** Host file bind-mounted at terminationMessagePath (default /dev/termination-log). */
  terminationLog?: string;
}

/** The spec-hash of a container: a change recreates the container, as the kubelet does. */
export function containerSpecHash(container: Container): string {
  return specHash(container);
}

/**
 * Translates one container of a pod into Docker create options: it joins the sandbox's network
 * and IPC namespaces (and PID with shareProcessNamespace), or, in a pod without a sandbox, holds
 * the pod-level options itself; command → Entrypoint, args → Cmd
 * (with `$(VAR)` expansion); limits.memory → Memory (swap off, so a breach is an OOM kill);
 * limits.cpu → NanoCpus; requests.cpu → CpuShares; Docker's restart policy stays off (Berth
 * restarts). Labels carry pod, container, role, restart count and spec-hash.
 */
export function containerCreateOptions(
  pod: Pod,
  container: Container,
  ctx: ContainerContext,
): Docker.ContainerCreateOptions {
  const vars = new Map(
    ctx.env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const memory =
    limits.memory !== undefined ? Math.floor(requireQuantity(limits.memory)) : undefined;
  const cpu = limits.cpu !== undefined ? requireQuantity(limits.cpu) : undefined;
  const cpuRequest = requests.cpu ?? limits.cpu;
  const sandbox = ctx.alone ? undefined : `container:${ctx.sandboxId}`;
  const pidMode = pod.spec.hostPID
    ? 'host'
    : pod.spec.shareProcessNamespace && sandbox
      ? sandbox
      : '';
  const { HostConfig: podHostConfig, ...podOptions } = ctx.alone?.options ?? { HostConfig: {} };
  const security = dockerSecurity(pod, container, ctx.imageUser);
  const { User, ...hostSecurity } = security;
  return {
    name: containerName(ctx.instance, pod, container.name),
    Image: container.image,
    ...(container.command ? { Entrypoint: container.command.map((s) => expand(s, vars)) } : {}),
    ...(container.args ? { Cmd: container.args.map((s) => expand(s, vars)) } : {}),
    ...(container.workingDir ? { WorkingDir: container.workingDir } : {}),
    ...(User ? { User } : {}),
    Env: ctx.env,
    Tty: container.tty ?? false,
    OpenStdin: container.stdin ?? false,
    StdinOnce: container.stdinOnce ?? false,
    AttachStdin: false,
    ...podOptions,
    Labels: {
      ...podLabels(ctx.instance, pod),
      [LABELS.container]: container.name,
      [LABELS.specHash]: containerSpecHash(container),
      [NODE_LABELS.role]: ctx.role,
      [NODE_LABELS.restartCount]: String(ctx.restartCount),
      [NODE_LABELS.containerSpec]: JSON.stringify(container),
      ...(ctx.terminationLog ? { [NODE_LABELS.terminationLog]: ctx.terminationLog } : {}),
      ...(Object.keys(requests).length > 0
        ? { 'io.berth.requests': JSON.stringify(requests) }
        : {}),
      ...ctx.alone?.labels,
    },
    HostConfig: {
      ...podHostConfig,
      ...(sandbox ? { NetworkMode: sandbox } : {}),
      IpcMode: pod.spec.hostIPC ? 'host' : (sandbox ?? 'private'),
      ...(pidMode ? { PidMode: pidMode } : {}),
      Binds: ctx.terminationLog
        ? [
            ...ctx.binds,
            `${ctx.terminationLog}:${container.terminationMessagePath ?? '/dev/termination-log'}`,
          ]
        : ctx.binds,
      RestartPolicy: { Name: 'no' },
      ...(memory !== undefined ? { Memory: memory, MemorySwap: memory } : {}),
      ...(cpu !== undefined ? { NanoCpus: Math.round(cpu * 1e9) } : {}),
      ...(cpuRequest !== undefined
        ? { CpuShares: Math.max(2, Math.round(requireQuantity(cpuRequest) * 1024)) }
        : {}),
      ...hostSecurity,
    },
  };
}
