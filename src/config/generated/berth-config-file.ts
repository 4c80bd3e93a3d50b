/* Generated from schemas/berth-config.schema.json by scripts/generate-types.mjs. Do not edit. */

export type Duration = string | number;

/**
 * Berth's own configuration. Every field is optional; the README lists the defaults.
 */
export interface BerthConfigFile {
  apiVersion: 'berth.dev/v1alpha1';
  kind: 'BerthConfig';
  /**
   * Name of this Berth instance: labels, container names and Redis keys carry it, so two instances can share one host and one Redis.
   */
  instance?: string;
  /**
   * Directory for Berth's working files (clones, example repository).
   */
  stateDir?: string;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  logFormat?: 'text' | 'json';
  redis?: {
    url?: string;
    keyPrefix?: string;
  };
  docker?: {
    socket?: string;
  };
  /**
   * This host as a node. Several `berth up` on one Redis and key prefix run pods on a node through one of them only (a per-node lease); the others stand by.
   */
  node?: {
    /**
     * Name of this node (a DNS subdomain, as Kubernetes node names). Default: the host name, lower-cased.
     */
    name?: string;
  };
  api?: {
    listen?: string;
    token?: SecretRef;
    /**
     * Who may read stored state (dashboard, status, objects, /metrics, /healthz) without the token: loopback clients (default) or nobody.
     */
    anonymousRead?: 'loopback' | 'none';
  };
  network?: {
    podCIDR?: string;
    serviceCIDR?: string;
    clusterDomain?: string;
    nodePortRange?: string;
    proxyMode?: 'iptables' | 'userspace';
    /**
     * Host address NodePort, LoadBalancer and Ingress ports listen on.
     */
    hostAddress?: string;
    ingressPort?: number;
    /**
     * Host port of the Ingress proxy's HTTPS (SNI certificates from the Ingresses' TLS Secrets). Unset: no HTTPS.
     */
    ingressTLSPort?: number;
    infraImage?: string;
    /**
     * whenNeeded (default): a pod with one container, no init containers, no shareProcessNamespace and no hostNetwork runs without a sandbox; Berth assigns pod IPs on the cluster network. always: a sandbox (pause) container per pod.
     */
    podSandbox?: 'always' | 'whenNeeded';
  };
  policy?: {
    podSecurity?: 'privileged' | 'baseline' | 'restricted';
    /**
     * Let a Namespace's pod-security.kubernetes.io/enforce label loosen podSecurity. Default false: labels may only make it stricter.
     */
    allowNamespaceOverride?: boolean;
    strict?: boolean;
    /**
     * apiVersion/kind pairs ("example.com/v1 Widget") that Berth skips instead of rejecting.
     */
    ignoredKinds?: string[];
    /**
     * Host path prefixes that hostPath volumes may use. Empty: none.
     */
    hostPathAllowed?: string[];
  };
  /**
   * Credentials of private registries: image pulls try them after a pod's imagePullSecrets and before Docker's own config (~/.docker/config.json).
   */
  registries?: {
    /**
     * Registry host with its port, as in image names (registry.example.com, 127.0.0.1:5000); may end in a repository path prefix and use * per host part, as Docker config keys.
     */
    host: string;
    username: string;
    password: SecretRef1;
  }[];
  sources?: Source[];
  /**
   * Encryption at rest of Secret data in Redis.
   */
  secrets?: {
    encryptionKey?: SecretRef2;
  };
  /**
   * Where Berth POSTs its events as JSON (a Kubernetes-shaped Event).
   */
  notifications?: {
    url: string;
    /**
     * Event reasons to send (ValidationFailed, SourceUnreachable, ...). Default: all.
     */
    reasons?: string[];
    /**
     * Normal and/or Warning. Default: both.
     */
    types?: ('Normal' | 'Warning')[];
    secret?: SecretRef1;
  }[];
}
/**
 * Bearer token of the API's actions (plans, sync, suspend, rollback). Default: generated at first start into <stateDir>/api-token (mode 0600).
 */
export interface SecretRef {
  env?: string;
  file?: string;
}
/**
 * Where a secret is read from: an environment variable or a file. A secret is never written in berth.yaml itself.
 */
export interface SecretRef1 {
  env?: string;
  file?: string;
}
export interface Source {
  name: string;
  /**
   * A local path or an http(s) URL.
   */
  repo: string;
  branch?: string;
  tag?: string;
  commit?: string;
  path?: string;
  interval?: Duration;
  auth?: {
    username: string;
    password: SecretRef1;
  };
  webhookSecret?: SecretRef1;
  /**
   * Decrypt SOPS-encrypted files of this source before validation with the age identities read from ageKeys (a keys.txt file, or a variable holding keys). Without it, sops's environment (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY) is used.
   */
  decryption?: {
    provider: 'sops';
    ageKeys: SecretRef1;
  };
  prune?: boolean;
  selfHeal?: boolean;
  /**
   * Sources that must be Healthy at their current revision before this source applies a new revision (Flux's dependsOn).
   */
  dependsOn?: string[];
  /**
   * When new revisions may be applied (Argo CD's sync windows): an active deny window holds them back; with allow windows, only an active one lets them through.
   *
   * @maxItems 50
   */
  syncWindows?: {
    kind: 'allow' | 'deny';
    /**
     * A cron expression (5 fields): when the window opens.
     */
    schedule: string;
    duration: Duration;
    /**
     * IANA time zone of the schedule. Default UTC.
     */
    timeZone?: string;
    /**
     * Accepted for Argo CD compatibility; Berth has no manual sync that bypasses a window yet.
     */
    manualSync?: boolean;
  }[];
  rollback?: {
    enabled?: boolean;
    maxConsecutive?: number;
    authorName?: string;
    authorEmail?: string;
    /**
     * Whether revert commits wait for the sync windows too. Default false: rollbacks pass in any window.
     */
    respectSyncWindows?: boolean;
  };
  /**
   * Pull-request review: Berth posts the plan of a pull request's head against its base as one comment on it, plus a commit status.
   */
  review?: {
    forge: 'github' | 'gitlab' | 'gitea';
    /**
     * API root of the forge. Default https://api.github.com for GitHub; required for GitLab and Gitea.
     */
    baseUrl?: string;
    /**
     * owner/name (GitHub, Gitea) or the GitLab project ID or path.
     */
    repository: string;
    token: SecretRef1;
    /**
     * Name of the commit status. Default berth/plan.
     */
    statusContext?: string;
  };
  /**
   * Image update automation (Flux's ImageRepository + ImagePolicy + ImageUpdateAutomation): Berth lists the tags of each image, picks the newest by the policy, and commits it to the tracked branch.
   *
   * @maxItems 50
   */
  imageUpdates?: ImageUpdate[];
}
export interface ImageUpdate {
  /**
   * Name of the update (markers `# {"$imagepolicy": "<ns>:<name>"}` name it). Default: the last path component of image.
   */
  name?: string;
  /**
   * The repository, without tag or digest: registry/repository (Docker Hub: name or user/name).
   */
  image: string;
  /**
   * How the newest tag is chosen (Flux's ImagePolicy spec.policy): exactly one of semver, alphabetical, numerical.
   */
  policy: {
    semver?:
      | string
      | {
          range: string;
        };
    alphabetical?:
      | ('asc' | 'desc')
      | {
          order?: 'asc' | 'desc';
        };
    numerical?:
      | ('asc' | 'desc')
      | {
          order?: 'asc' | 'desc';
        };
  };
  /**
   * Flux's filterTags: only tags matching pattern are candidates, compared by extract ($1, $name) when given.
   */
  filterTags?: {
    pattern: string;
    extract?: string;
  };
  interval?: Duration;
  authorName?: string;
  authorEmail?: string;
}
/**
 * Where a secret is read from: an environment variable or a file. A secret is never written in berth.yaml itself.
 */
export interface SecretRef2 {
  env?: string;
  file?: string;
}
