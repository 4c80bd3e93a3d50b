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
  api?: {
    listen?: string;
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
  };
  policy?: {
    podSecurity?: 'privileged' | 'baseline' | 'restricted';
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
  sources?: Source[];
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
    secret?: SecretRef;
  }[];
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
    password: SecretRef;
  };
  webhookSecret?: SecretRef;
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
    token: SecretRef;
    /**
     * Name of the commit status. Default berth/plan.
     */
    statusContext?: string;
  };
}
/**
 * Where a secret is read from: an environment variable or a file. A secret is never written in berth.yaml itself.
 */
export interface SecretRef {
  env?: string;
  file?: string;
}
