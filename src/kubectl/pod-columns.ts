import type { ContainerStatus, PodStatus } from '../node/index.js';
import { asKind } from '../store/as-kind.js';
import type { StoredObject } from '../store/index.js';
import { humanDuration } from './human-duration.js';

/** What `kubectl get pods` shows of a pod beside its name and age. */
export interface PodSummary {
  /** `1/2`: ready app containers of all the pod's containers. */
  ready: string;
  /** kubectl's STATUS: Running, ContainerCreating, CrashLoopBackOff, Completed, Init:0/1... */
  status: string;
  /** `0`, or `3 (45s ago)` when the last restart's time is known. */
  restarts: string;
}

/**
 * The READY, STATUS and RESTARTS columns of a pod, computed as kubectl's `printPod` does: the
 * phase, overridden by the first unfinished init container's state, else by the app
 * containers' waiting or terminated reasons (the first container last), `Completed` turned
 * back into Running/NotReady while a container still runs, `Terminating` once deleted.
 */
export function podSummary(pod: StoredObject, now: Date): PodSummary {
  const { spec, status: stored } = asKind('Pod', pod);
  const status: Partial<PodStatus> = stored ?? {};
  const total = spec?.containers?.length ?? 0;
  const inits = status.initContainerStatuses ?? [];
  let reason: string = status.reason || status.phase || 'Pending';
  let restarts = 0;
  let ready = 0;
  let lastRestart = 0;
  const noteRestart = (c: ContainerStatus) => {
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished) || 0);
  };
  let initializing = false;
  for (const [i, c] of inits.entries()) {
    restarts += c.restartCount ?? 0;
    noteRestart(c);
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    if (t) reason = t.reason ? `Init:${t.reason}` : exitText('Init:', t);
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${spec?.initContainers?.length ?? inits.length}`;
    initializing = true;
    break;
  }
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const apps = status.containerStatuses ?? [];
    for (let i = apps.length - 1; i >= 0; i--) {
      const c = apps[i] as ContainerStatus;
      restarts += c.restartCount ?? 0;
      noteRestart(c);
      const w = c.state?.waiting;
      const t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = exitText('', t);
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if ((pod.metadata as { deletionTimestamp?: string }).deletionTimestamp) reason = 'Terminating';
  return {
    ready: `${ready}/${total}`,
    status: reason,
    restarts:
      lastRestart > 0
        ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
        : String(restarts),
  };
}

function exitText(prefix: string, t: { exitCode: number; signal?: number }): string {
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}
