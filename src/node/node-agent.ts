import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { errorMessage } from '../util/berth-error.js';
import { detectHostIP } from './host-ip.js';
import { ImagePuller } from './image-puller.js';
import { stopContainer } from './lifecycle.js';
import { listPods } from './list-pods.js';
import { livePodIP, readPodState } from './live-state.js';
import { NODE_LABELS, podNamespace, podUid } from './names.js';
import { type CompiledNodeOptions, compileNodeOptions, type NodeOptions } from './node-options.js';
import { containersByPodUid, removeContainers } from './orphans.js';
import { PodIPs } from './pod-ips.js';
import type { Pod, PodStatus } from './pod-spec.js';
import { computePodStatus, emptyMemory } from './pod-status.js';
import { PodTerminations } from './pod-terminations.js';
import { PodWorker } from './pod-worker.js';
import { schedulingWarnings } from './scheduling-warnings.js';
import { StartGate } from './start-gate.js';
import type { NodeImages } from './sync-context.js';
import { graceMs } from './sync-pod.js';
import { removePodVolumes } from './volumes.js';

/** Options of {@link NodeAgent.killPod}. */
export interface KillPodOptions {
  /** Overrides the pod's terminationGracePeriodSeconds. */
  gracePeriodSeconds?: number;
}

/**
 * The kubelet of this host. Controllers call {@link NodeAgent.syncPod} with the desired pod
 * (any number of times: it is idempotent) and {@link NodeAgent.killPod} to remove one; the agent
 * keeps every pod it knows converged in the background (restarts, probes, volume updates) and
 * reports status. Emits `status` (pod, PodStatus) on every sync and `terminated` (pod) when a
 * graceful deletion has stopped a pod ({@link NodeAgent.terminatePod}). {@link NodeAgent.start} adopts
 * the pods already on Docker (after a Berth restart) and follows the Docker events stream.
 */
export class NodeAgent extends EventEmitter {
  readonly options: CompiledNodeOptions;
  readonly hostIP = detectHostIP();
  /** One pull per image across this node's pods, and the images known present. */
  readonly images: NodeImages;
  private readonly workers = new Map<string, PodWorker>();
  private readonly terminations = new PodTerminations();
  private events: Readable | undefined;
  /** Shut by {@link stop}: no container is created or started after it. */
  private readonly gate = new StartGate();
  /** Pod addresses, when Berth assigns them (network.podSandbox `whenNeeded`). */
  private readonly podIPs: PodIPs | undefined;

  constructor(options: NodeOptions) {
    super();
    this.options = compileNodeOptions({ ...options, docker: this.gate.wrap(options.docker) });
    this.images = { puller: new ImagePuller(this.options.docker), present: new Map() };
    const { docker, instance, network, podSandbox } = this.options;
    this.podIPs = podSandbox === 'whenNeeded' ? new PodIPs(docker, instance, network) : undefined;
  }

  /**
   * Adopts the pods found in Docker labels that `adopt` accepts (default: all; their containers
   * are kept as they are) and follows Docker events. A pod not adopted is left to
   * {@link NodeAgent.removeOrphans}: it is never restarted.
   */
  async start(adopt: (pod: Pod) => boolean = () => true): Promise<void> {
    const { docker, instance } = this.options;
    const stream = (await docker.getEvents({
      filters: JSON.stringify({
        type: ['container'],
        label: [...instanceFilter(instance), `${LABELS.kind}=Pod`],
      }),
    })) as unknown as Readable;
    this.events = stream;
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.onEvent(line);
      }
    });
    stream.on('error', () => undefined);
    for (const pod of await listPods(docker, instance)) {
      if (!this.workers.has(podUid(pod)) && adopt(pod)) void this.syncPod(pod);
    }
  }

  /**
   * Housekeeping, as the kubelet's pod cleanup: every pod of this instance — a worker or
   * containers on Docker — whose uid is not in `wanted()` is stopped within its grace period and
   * removed (containers, sandbox, volume content). Docker is listed before `wanted` is called,
   * so a pod created in between is never taken for an orphan. Returns the uids removed.
   */
  async removeOrphans(wanted: () => Promise<ReadonlySet<string>>): Promise<string[]> {
    const { docker, instance } = this.options;
    const onDocker = await containersByPodUid(docker, instance);
    const pods = new Map((await listPods(docker, instance)).map((p) => [podUid(p), p]));
    const keep = await wanted();
    const orphans = new Set(
      [...onDocker.keys(), ...this.workers.keys()].filter((uid) => !keep.has(uid)),
    );
    await Promise.all(
      [...orphans].map(async (uid) => {
        const pod = this.workers.get(uid)?.pod ?? pods.get(uid);
        this.options.logger?.info(
          { namespace: pod && podNamespace(pod), pod: pod?.metadata.name, uid },
          'removing a pod that is not in the store',
        );
        if (pod) await this.killPod(pod);
        else await removeContainers(docker, onDocker.get(uid) ?? []);
        this.podIPs?.release(uid);
      }),
    );
    return [...orphans];
  }

  /**
   * Stops at once: from this call on no container is created or started (a sync or job in
   * flight fails with NodeStopping, a syncPod call too); stops every worker and the events
   * stream. Containers keep running.
   */
  stop(): void {
    this.gate.close();
    for (const w of this.workers.values()) void w.stop();
    this.workers.clear();
    this.events?.destroy();
    this.events = undefined;
  }

  /**
   * Makes the pod converge to this spec now (one sync) and keeps it converged afterwards.
   * Returns the status after the sync. Idempotent: a healthy container is never recreated;
   * a changed container spec recreates that container, a changed sandbox spec the pod.
   */
  async syncPod(pod: Pod): Promise<PodStatus> {
    this.gate.check();
    const uid = podUid(pod);
    // A pod stopped for deletion is never started again (a stale spec may still come in).
    if (this.terminations.has(uid)) return this.podStatus(pod);
    let worker = this.workers.get(uid);
    if (!worker) {
      for (const warning of schedulingWarnings(pod)) {
        this.options.logger?.warn(
          { namespace: podNamespace(pod), pod: pod.metadata.name },
          warning,
        );
      }
      worker = new PodWorker(
        pod,
        this.options,
        this.hostIP,
        this.images,
        (p, s) => this.emit('status', p, s),
        this.podIPs,
      );
      this.workers.set(uid, worker);
    }
    worker.pod = pod;
    await worker.kick();
    // Stopped meanwhile: what the sync reports is not the pod's state.
    this.gate.check();
    return worker.status ?? (await this.podStatus(pod));
  }

  /**
   * Stops a pod for good: preStop hooks and SIGTERM in parallel within the grace period
   * (default the pod's terminationGracePeriodSeconds, 30 s), then SIGKILL; then removes its
   * containers, sandbox and volume content (PVC volumes stay). A pod Berth does not run is fine.
   */
  async killPod(pod: Pod, options: KillPodOptions = {}): Promise<void> {
    const uid = podUid(pod);
    const worker = this.workers.get(uid);
    this.workers.delete(uid);
    await worker?.stop();
    const { docker, instance, network } = this.options;
    const live = await readPodState(docker, instance, uid, network);
    const grace =
      options.gracePeriodSeconds !== undefined ? options.gracePeriodSeconds * 1000 : graceMs(pod);
    const podIP = livePodIP(live) ?? this.hostIP;
    const specs = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
    await Promise.all(
      [...live.current.values()]
        .filter((s) => s.running)
        .map((s) =>
          stopContainer(
            docker,
            s.id,
            specs.find((c) => c.name === s.name),
            podIP,
            grace,
          ).catch((err) =>
            this.options.logger?.warn(
              { pod: pod.metadata.name, container: s.name, error: errorMessage(err) },
              'stop failed',
            ),
          ),
        ),
    );
    const all = [
      ...live.current.values(),
      ...live.previous.values(),
      ...(live.sandbox ? [live.sandbox] : []),
    ];
    const removed = await Promise.all(
      all.map((s) =>
        docker
          .getContainer(s.id)
          .remove({ force: true })
          .then(
            () => true,
            (err: { statusCode?: number }) => err.statusCode === 404,
          ),
      ),
    );
    await removePodVolumes(pod, this.options);
    // The address is free once no container holds it (a container left behind keeps it).
    if (removed.every(Boolean)) this.podIPs?.release(uid);
  }

  /**
   * Graceful deletion, the kubelet's part for a pod the store marks terminating: from now on the
   * pod is never synced (its containers never start or restart again), and in the background
   * {@link NodeAgent.killPod} stops them within `gracePeriodSeconds` (preStop and SIGTERM, then
   * SIGKILL) and removes them, the sandbox and the volume content; `terminated` (pod) is emitted
   * when that is done. Idempotent. Resolves true once nothing of the pod is left on Docker (the
   * store may now forget it), false while its termination is under way.
   */
  async terminatePod(pod: Pod, gracePeriodSeconds: number): Promise<boolean> {
    const uid = podUid(pod);
    if (this.terminations.underWay(uid)) return false;
    if (!this.workers.has(uid)) {
      const { docker, instance, network } = this.options;
      const live = await readPodState(docker, instance, uid, network);
      if (!live.sandbox && live.current.size === 0 && live.previous.size === 0) {
        this.terminations.remember(uid);
        await removePodVolumes(pod, this.options);
        this.podIPs?.release(uid);
        return true;
      }
    }
    this.terminations.begin(
      uid,
      () => this.killPod(pod, { gracePeriodSeconds }),
      (err) => {
        if (err)
          this.options.logger?.warn(
            { namespace: podNamespace(pod), pod: pod.metadata.name, error: errorMessage(err) },
            'stopping a terminating pod failed; trying again at the next look',
          );
        this.emit('terminated', pod);
      },
    );
    return false;
  }

  /** The pod this agent runs under that namespace and name, if any (whatever its uid). */
  podNamed(namespace: string, name: string): Pod | undefined {
    for (const w of this.workers.values()) {
      if (w.pod.metadata.name === name && podNamespace(w.pod) === namespace) return w.pod;
    }
    return undefined;
  }

  /** Every pod of this instance, rebuilt from Docker labels. */
  listPods(): Promise<Pod[]> {
    return listPods(this.options.docker, this.options.instance);
  }

  /** The status of a pod: the last one its worker computed, else computed now from Docker. */
  async podStatus(pod: Pod): Promise<PodStatus> {
    const worker = this.workers.get(podUid(pod));
    if (worker?.status) return worker.status;
    const { docker, instance, network } = this.options;
    try {
      const live = await readPodState(docker, instance, podUid(pod), network);
      return computePodStatus(pod, live, emptyMemory(), this.hostIP);
    } catch (err) {
      // Docker does not answer: the kubelet's "node lost" case.
      return {
        phase: 'Unknown',
        reason: 'NodeLost',
        message: errorMessage(err),
        conditions: [],
        initContainerStatuses: [],
        containerStatuses: [],
      };
    }
  }

  private onEvent(line: string): void {
    try {
      const event = JSON.parse(line) as {
        Action?: string;
        Actor?: { Attributes?: Record<string, string> };
      };
      const uid = event.Actor?.Attributes?.[NODE_LABELS.uid];
      const worker = uid ? this.workers.get(uid) : undefined;
      if (!worker || !/^(start|die|oom|destroy|kill)/.test(event.Action ?? '')) return;
      this.options.logger?.debug(
        {
          namespace: podNamespace(worker.pod),
          pod: worker.pod.metadata.name,
          action: event.Action,
        },
        'docker event',
      );
      void worker.kick();
    } catch {
      // A partial or foreign line: ignore it.
    }
  }
}
