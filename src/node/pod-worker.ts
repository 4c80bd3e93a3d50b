import { errorMessage } from '../util/berth-error.js';
import { stopContainer } from './lifecycle.js';
import { livePodIP, type PodLiveState } from './live-state.js';
import { podNamespace } from './names.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { PodIPs } from './pod-ips.js';
import type { Pod, PodStatus } from './pod-spec.js';
import { emptyMemory } from './pod-status.js';
import { ContainerProber } from './prober.js';
import { NodeStoppingError } from './start-gate.js';
import type { NodeImages, SyncContext } from './sync-context.js';
import { graceMs, syncPod } from './sync-pod.js';

/**
 * Keeps one pod converged between controller calls: syncs on a kick (a Docker event, a probe
 * change, a new spec), when a backoff ends and every `resyncMs`; runs the probes of its running
 * containers and kills a container whose liveness (or startup) probe failed. Syncs never
 * overlap; kicks during a sync cause exactly one more sync afterwards.
 */
export class PodWorker {
  status: PodStatus | undefined;
  private readonly ctx: SyncContext;
  private readonly probers = new Map<string, { id: string; prober: ContainerProber }>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(
    public pod: Pod,
    opts: CompiledNodeOptions,
    hostIP: string,
    images: NodeImages,
    private readonly onStatus: (pod: Pod, status: PodStatus) => void,
    podIPs?: PodIPs,
  ) {
    this.ctx = {
      opts,
      hostIP,
      images,
      memory: emptyMemory(),
      retries: new Map(),
      ...(podIPs ? { podIPs } : {}),
    };
  }

  /** Asks for a sync; resolves when a sync that started after this call has finished. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.running) this.again = true;
    else this.running = this.loop();
    return done;
  }

  /**
   * Stops syncing and probing; containers are left as they are (a Berth restart adopts them).
   * Resolves when a sync under way has finished.
   */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const { prober } of this.probers.values()) prober.stop();
    this.probers.clear();
    for (const w of this.waiters.splice(0)) w();
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const waiters = this.waiters.splice(0);
      await this.syncOnce();
      for (const w of waiters) w();
    } while (this.again && !this.stopped);
    this.running = undefined;
  }

  private async syncOnce(): Promise<void> {
    clearTimeout(this.timer);
    let next = this.ctx.opts.resyncMs;
    try {
      const result = await syncPod(this.pod, this.ctx);
      if (this.stopped) return;
      this.updateProbers(result.live);
      this.status = result.status;
      this.onStatus(this.pod, result.status);
      if (result.requeueAfterMs !== undefined)
        next = Math.min(next, Math.max(50, result.requeueAfterMs));
    } catch (err) {
      // The node stops: nothing to retry.
      if (err instanceof NodeStoppingError) return;
      this.ctx.opts.logger?.error(
        {
          namespace: podNamespace(this.pod),
          pod: this.pod.metadata.name,
          error: errorMessage(err),
        },
        'pod sync failed; retrying',
      );
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.kick(), next);
  }

  /** One prober per running app container instance; gone with the instance. */
  private updateProbers(live: PodLiveState): void {
    const podIP = livePodIP(live) ?? this.ctx.hostIP;
    for (const [name, entry] of this.probers) {
      const snap = live.current.get(name);
      if (!snap?.running || snap.id !== entry.id) {
        entry.prober.stop();
        this.probers.delete(name);
        this.ctx.memory.probes.delete(name);
      }
    }
    for (const container of this.pod.spec.containers) {
      const snap = live.current.get(container.name);
      if (!snap?.running || this.probers.has(container.name)) continue;
      const target = { docker: this.ctx.opts.docker, containerId: snap.id, podIP, container };
      const prober = new ContainerProber(target, (state) => {
        if (state.unhealthy) void this.killUnhealthy(container.name, snap.id, state.unhealthy);
        else void this.kick();
      });
      this.probers.set(container.name, { id: snap.id, prober });
      this.ctx.memory.probes.set(container.name, prober.state);
      prober.start();
    }
  }

  private async killUnhealthy(name: string, id: string, message: string): Promise<void> {
    const container = this.pod.spec.containers.find((c) => c.name === name);
    this.ctx.opts.logger?.info(
      {
        namespace: podNamespace(this.pod),
        pod: this.pod.metadata.name,
        container: name,
        reason: 'Unhealthy',
      },
      `${message}; container will be restarted`,
    );
    this.probers.get(name)?.prober.stop();
    this.probers.delete(name);
    this.ctx.memory.probes.delete(name);
    const probe = container?.livenessProbe ?? container?.startupProbe;
    const grace =
      probe?.terminationGracePeriodSeconds !== undefined
        ? probe.terminationGracePeriodSeconds * 1000
        : graceMs(this.pod);
    await stopContainer(
      this.ctx.opts.docker,
      id,
      container,
      this.status?.podIP ?? this.ctx.hostIP,
      grace,
    ).catch(() => undefined);
    await this.kick();
  }
}
