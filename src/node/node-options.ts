import path from 'node:path';
import type Docker from 'dockerode';
import { type BerthConfig, readSecret } from '../config/index.js';
import { type CredentialSource, dockerConfigPath, readDockerConfigFile } from '../images/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import type { ConfigMap, Pod, Secret } from './pod-spec.js';

/** An event about a pod, as the kubelet records them (Pulling, Pulled, Failed, BackOff...). */
export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The container it is about, when it is about one. */
  container?: string;
}

/** Where the node layer reads the ConfigMaps and Secrets pods refer to. `undefined`: not found. */
export interface ObjectLookup {
  configMap(
    namespace: string,
    name: string,
  ): ConfigMap | undefined | Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Secret | undefined | Promise<Secret | undefined>;
}

/** Options of the node layer, compiled once by {@link compileNodeOptions}. */
export interface NodeOptions {
  docker: Docker;
  /** Berth instance name: in every container name and label. */
  instance: string;
  /** ConfigMaps and Secrets. Default: none exist. */
  lookup?: ObjectLookup;
  /** The cluster network sandboxes join. Default `<instance>_cluster`. */
  network?: string;
  /** Subnet of the cluster network when Berth creates it (config network.podCIDR). Default '': Docker picks one. */
  podCIDR?: string;
  /** Sandbox image. Default `berth.local/pause:1`. */
  infraImage?: string;
  /**
   * `whenNeeded` (default): a pod with one container, no init containers, no shared process
   * namespace and no hostNetwork runs as that container alone, and Berth assigns every pod's IP
   * on the cluster network (so it stays the same across container restarts). `always`: every
   * pod has a sandbox container holding its namespaces, as the kubelet does. Without `podCIDR`
   * it is always `always` (Docker assigns no chosen address on a network it addressed).
   */
  podSandbox?: 'always' | 'whenNeeded';
  /** Directory for volume content (configMap, downwardAPI). Default `.berth/node`. */
  stateDir?: string;
  /** tmpfs directory for Secret and `emptyDir: {medium: Memory}` content. Default `/dev/shm/berth/<instance>`. */
  memoryDir?: string;
  /** Host path prefixes hostPath volumes may use. Default none: hostPath is refused. */
  hostPathAllowed?: string[];
  /** DNS servers given to ClusterFirst pods (the network layer's). Default: Docker's. */
  clusterDns?: string[];
  /** DNS search domains of ClusterFirst pods, before the namespace's. Default `cluster.local`. */
  clusterDomain?: string;
  /** First CrashLoopBackOff delay. Default 10 s (the kubelet's). */
  backoffInitialMs?: number;
  /** Longest CrashLoopBackOff delay. Default 300 s. */
  backoffMaxMs?: number;
  /** A container that ran this long before exiting resets its backoff. Default 10 min. */
  backoffResetMs?: number;
  /** How often a pod worker re-syncs when nothing happens. Default 2 s. */
  resyncMs?: number;
  /**
   * Registry credentials of the host, tried after a pod's imagePullSecrets: berth.yaml's
   * `registries`, then Docker's config. Read at each pull. Default: Docker's config file only
   * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`).
   */
  hostCredentials?: () => Promise<CredentialSource[]>;
  /** Where the kubelet's pod events go (Pulling, Pulled, Failed, BackOff...). Default: nowhere. */
  recordEvent?: (pod: Pod, event: PodEvent) => void;
  logger?: Logger;
}

/** {@link NodeOptions} with defaults applied. */
export type CompiledNodeOptions = Required<Omit<NodeOptions, 'logger' | 'recordEvent'>> &
  Pick<NodeOptions, 'logger' | 'recordEvent'>;

/**
 * The node options of a Berth configuration: instance, pod network (`<instance>_cluster`,
 * network.podCIDR), infra image, cluster domain, hostPath policy, `<stateDir>/node`.
 */
export function nodeOptionsFromConfig(
  config: BerthConfig,
  docker: Docker,
  extra: Partial<NodeOptions> = {},
): NodeOptions {
  return {
    docker,
    instance: config.instance,
    podCIDR: config.network.podCIDR,
    infraImage: config.network.infraImage,
    podSandbox: config.network.podSandbox,
    clusterDomain: config.network.clusterDomain,
    hostPathAllowed: config.policy.hostPathAllowed,
    stateDir: path.join(config.stateDir, 'node'),
    hostCredentials: () => hostCredentials(config, extra.logger),
    ...extra,
  };
}

const NO_OBJECTS: ObjectLookup = { configMap: () => undefined, secret: () => undefined };

/** Applies the defaults of {@link NodeOptions}. */
export function compileNodeOptions(options: NodeOptions): CompiledNodeOptions {
  const { instance } = options;
  return {
    docker: options.docker,
    instance,
    lookup: options.lookup ?? NO_OBJECTS,
    network: options.network ?? `${instance}_cluster`,
    podCIDR: options.podCIDR ?? '',
    infraImage: options.infraImage ?? 'berth.local/pause:1',
    podSandbox: options.podCIDR ? (options.podSandbox ?? 'whenNeeded') : 'always',
    stateDir: path.resolve(options.stateDir ?? '.berth/node'),
    memoryDir: options.memoryDir ?? `/dev/shm/berth/${instance}`,
    hostPathAllowed: options.hostPathAllowed ?? [],
    clusterDns: options.clusterDns ?? [],
    clusterDomain: options.clusterDomain ?? 'cluster.local',
    backoffInitialMs: options.backoffInitialMs ?? 10_000,
    backoffMaxMs: options.backoffMaxMs ?? 300_000,
    backoffResetMs: options.backoffResetMs ?? 600_000,
    resyncMs: options.resyncMs ?? 2_000,
    hostCredentials: options.hostCredentials ?? dockerConfigCredentials,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.recordEvent ? { recordEvent: options.recordEvent } : {}),
  };
}

/** The credentials of Docker's own config file (none when it is missing or unusable). */
export async function dockerConfigCredentials(): Promise<CredentialSource[]> {
  const file = await readDockerConfigFile(dockerConfigPath()).catch(() => undefined);
  return file?.auths.length ? [file] : [];
}

/** The host's registry credentials: berth.yaml's `registries`, then Docker's config file. */
export async function hostCredentials(
  config: BerthConfig,
  logger?: Logger,
): Promise<CredentialSource[]> {
  return [...configuredCredentials(config, logger), ...(await dockerConfigCredentials())];
}

/**
 * berth.yaml's `registries`, their passwords read now (a rotated one is used at the next pull);
 * one whose password cannot be read is left out with a warning naming where it was looked for.
 */
function configuredCredentials(config: BerthConfig, logger?: Logger): CredentialSource[] {
  const auths = config.registries.flatMap((r) => {
    try {
      return [{ key: r.host, username: r.username, password: readSecret(r.password) }];
    } catch (err) {
      logger?.warn(
        { registry: r.host, error: errorMessage(err) },
        'registry credentials left out: their password cannot be read',
      );
      return [];
    }
  });
  return auths.length ? [{ origin: 'berth.yaml registries', auths }] : [];
}
