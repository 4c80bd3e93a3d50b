import type { Condition, Health } from './health-status.js';
import { findCondition } from './health-status.js';

/** A container's state as Kubernetes reports it in `status.containerStatuses[]`. */
export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: object;
    terminated?: { exitCode?: number; reason?: string; message?: string };
  };
  lastState?: { terminated?: { exitCode?: number; reason?: string } };
}

/** The fields of a v1 Pod this rule reads. */
export interface PodLike {
  spec?: { restartPolicy?: 'Always' | 'OnFailure' | 'Never' };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatusLike[];
    containerStatuses?: ContainerStatusLike[];
  };
}

/**
 * A long-running pod (restartPolicy Always) is Degraded as soon as a container waits for a
 * reason that needs a change (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, *Error); a Failed
 * pod is Degraded; a Succeeded one Healthy; a Running one Healthy once Ready (Argo CD's rule).
 * Pods that run to completion (OnFailure, Never) are Progressing while they run.
 */
export function podHealth(pod: PodLike): Health {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  if (policy === 'Always') {
    const stuck = statuses.filter((c) => isStuck(c.state?.waiting?.reason));
    if (stuck.length > 0) {
      const first = stuck[0]?.state?.waiting;
      return {
        status: 'Degraded',
        reason: first?.reason ?? 'ContainerWaiting',
        message: stuck
          .map(
            (c) =>
              `container ${c.name}: ${c.state?.waiting?.reason}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ''}`,
          )
          .join('; '),
      };
    }
  }
  const phase = pod.status?.phase;
  switch (phase) {
    case 'Pending':
      return {
        status: 'Progressing',
        reason: 'Pending',
        message: pod.status?.message ?? 'Pod is starting',
      };
    case 'Succeeded':
      return { status: 'Healthy', reason: 'Completed', message: 'Pod ran to completion' };
    case 'Failed':
      return {
        status: 'Degraded',
        reason: 'PodFailed',
        message: pod.status?.message ?? failureMessage(statuses),
      };
    case 'Running': {
      if (policy !== 'Always')
        return {
          status: 'Progressing',
          reason: 'Running',
          message: 'Pod is running to completion',
        };
      if (findCondition(pod.status?.conditions, 'Ready')?.status === 'True')
        return { status: 'Healthy', reason: 'Ready' };
      const restarted = statuses.find((c) => c.lastState?.terminated !== undefined);
      if (restarted) {
        return {
          status: 'Degraded',
          reason: 'ContainerRestarted',
          message: `container ${restarted.name} is not ready and was restarted (last exit code ${restarted.lastState?.terminated?.exitCode ?? '?'})`,
        };
      }
      return {
        status: 'Progressing',
        reason: 'NotReady',
        message: 'Waiting for the pod to become ready',
      };
    }
    default:
      return {
        status: 'Unknown',
        reason: 'PhaseUnknown',
        message: pod.status?.message ?? 'The pod state cannot be read',
      };
  }
}

/** Waiting reasons that do not resolve without a change (Argo CD's prefixes and suffixes). */
function isStuck(reason: string | undefined): boolean {
  return (
    reason !== undefined &&
    (reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff'))
  );
}

function failureMessage(statuses: ContainerStatusLike[]): string {
  const failed = statuses.find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  if (!failed) return 'Pod failed';
  const t = failed.state?.terminated;
  return `container ${failed.name} exited with code ${t?.exitCode}${t?.reason ? ` (${t.reason})` : ''}`;
}
