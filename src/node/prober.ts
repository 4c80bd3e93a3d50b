import { probeFailures } from '../metrics/index.js';
import { type HandlerTarget, runHandler } from './handler.js';
import type { Probe } from './pod-spec.js';
import { initialProbeWorker, probeWorkerStep } from './probe-worker.js';

/** What the probes of one running container found so far. */
export interface ProbeState {
  /** The startup probe passed (true at once without one). */
  started: boolean;
  /** The readiness probe passed (true once started without one). */
  ready: boolean;
  /** Set when the liveness or startup probe failed failureThreshold times in a row. */
  unhealthy: string | undefined;
}

/** A probe's timing with the kubelet's defaults applied, in milliseconds. */
export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

/** The kubelet's defaults: delay 0, period 10 s, timeout 1 s, success 1, failure 3. */
export function probeTiming(probe: Probe): ProbeTiming {
  return {
    initialDelayMs: (probe.initialDelaySeconds ?? 0) * 1000,
    periodMs: (probe.periodSeconds ?? 10) * 1000,
    timeoutMs: (probe.timeoutSeconds ?? 1) * 1000,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/**
 * Runs the startup, liveness and readiness probes of one container instance, as the kubelet:
 * the startup probe gates the other two; liveness or startup failing `failureThreshold` times
 * in a row marks the container unhealthy (the pod worker then restarts it); readiness flips
 * `ready` after `successThreshold` successes or `failureThreshold` failures in a row.
 * `onChange` is called whenever the state changes. Stops with {@link ContainerProber.stop}.
 */
export class ContainerProber {
  readonly state: ProbeState;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly target: HandlerTarget,
    private readonly onChange: (state: ProbeState) => void,
  ) {
    const c = target.container;
    this.state = {
      started: !c.startupProbe,
      ready: !c.startupProbe && !c.readinessProbe,
      unhealthy: undefined,
    };
  }

  /** Starts the probe loops. */
  start(): void {
    const c = this.target.container;
    if (c.startupProbe) this.loop('startup', c.startupProbe);
    else this.startMain();
  }

  /** Stops every loop; no more `onChange` calls. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private startMain(): void {
    const c = this.target.container;
    if (c.livenessProbe) this.loop('liveness', c.livenessProbe);
    if (c.readinessProbe) this.loop('readiness', c.readinessProbe);
  }

  private loop(kind: 'startup' | 'liveness' | 'readiness', probe: Probe): void {
    const t = probeTiming(probe);
    let worker = initialProbeWorker(kind);
    const tick = async () => {
      if (this.stopped) return;
      const result = await runHandler(probe, this.target, t.timeoutMs);
      if (this.stopped) return;
      if (!result.success) probeFailures.inc({ probe: kind });
      // Liveness and startup probes take one success (the API requires successThreshold 1).
      worker = probeWorkerStep(
        worker,
        { ...t, successThreshold: kind === 'readiness' ? t.successThreshold : 1 },
        result.success,
      );
      if (kind === 'startup' && worker.result === 'Success') {
        this.update({ started: true, ready: !this.target.container.readinessProbe });
        this.startMain();
        return;
      }
      if (kind !== 'readiness' && worker.result === 'Failure') {
        this.update({
          unhealthy: `${kind === 'startup' ? 'Startup' : 'Liveness'} probe failed: ${result.message}`,
        });
        return;
      }
      if (kind === 'readiness' && (worker.result === 'Success') !== this.state.ready)
        this.update({ ready: worker.result === 'Success' });
      this.schedule(tick, t.periodMs);
    };
    this.schedule(tick, t.initialDelayMs);
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, ms);
    this.timers.add(timer);
  }

  private update(change: Partial<ProbeState>): void {
    Object.assign(this.state, change);
    this.onChange(this.state);
  }
}
