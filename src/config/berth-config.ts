import type { BerthConfigFile, SecretRef } from './generated/berth-config-file.js';

/** A secret's location (`{env}` or `{file}`, exactly one): read when needed, never held in configuration or printed. */
export type { SecretRef };

/** A sync window as Argo CD defines it: when revisions may (allow) or may not (deny) be applied. */
export interface SyncWindow {
  kind: 'allow' | 'deny';
  /** A cron expression: when the window opens. */
  schedule: string;
  /** How long it stays open, in milliseconds. */
  durationMs: number;
  /** The time zone of `schedule` (IANA name). Default UTC. */
  timeZone?: string;
  /** Manual syncs are allowed while the window denies (Argo CD's manualSync). Default false. */
  manualSync: boolean;
}

/** Which commit of a repository a source follows. */
export type SourceRef = { branch: string } | { tag: string } | { commit: string };

/** The forges whose pull requests Berth reviews. */
export type ForgeKind = 'github' | 'gitlab' | 'gitea';

/** Where a source's pull-request plans are posted. Compiled from `sources[].review`. */
export interface ReviewConfig {
  forge: ForgeKind;
  /**
   * API root, no trailing slash. Default `https://api.github.com` for GitHub; required for GitLab
   * (`https://gitlab.example.com`, the client adds `/api/v4`) and Gitea (`https://gitea.example.com`).
   */
  baseUrl: string;
  /** `owner/name` (GitHub, Gitea), or the GitLab project ID or `group/project` path. */
  repository: string;
  /** Where the API token is read from (when a pull request is reviewed, never logged). */
  token: SecretRef;
  /** Name of the commit status. Default `berth/plan`. */
  statusContext: string;
}

/** One Git repository Berth keeps the host in step with. Compiled from `sources[]`. */
export interface SourceConfig {
  /** Unique name; appears in status, history, labels. */
  name: string;
  /** A local path (made absolute) or an http(s) URL. */
  repo: string;
  /** `true` when `repo` is an http(s) URL. */
  remote: boolean;
  /** Branch (tracked), tag or pinned commit. Default: branch `main`. */
  ref: SourceRef;
  /** Directory inside the repository holding the manifests. Default `.` (the root). */
  path: string;
  /** How often a remote is fetched. Default 60 s. Local repositories are watched instead. */
  intervalMs: number;
  /** HTTP basic auth for a remote: the username and where the password or token is read from. */
  auth?: { username: string; password: SecretRef };
  /** Where the webhook HMAC secret (or GitLab token) is read from. Without it webhooks are refused. */
  webhookSecret?: SecretRef;
  /** SOPS decryption: where the age identities are read from (at each revision, never logged). Default: sops's environment. */
  decryption?: { provider: 'sops'; ageKeys: SecretRef };
  /** Pull-request review: the plan of each pull request to the tracked branch, as a comment and a status. */
  review?: ReviewConfig;
  /** Delete what an object removed from Git owned. Default true. */
  prune: boolean;
  /** Put back containers changed or removed out of band. Default true. */
  selfHeal: boolean;
  /** Sources that must be Healthy at their current revision before this one applies a revision. Default none. */
  dependsOn: string[];
  /** When revisions may be applied (Argo CD's sync windows). Default none: always. */
  syncWindows: SyncWindow[];
  /** Automated rollback by `git revert`. Default off. */
  rollback: {
    enabled: boolean;
    /** Rollbacks in a row after which the source stops rolling back and stays flagged. Default 3. */
    maxConsecutive: number;
    /** Whether revert commits wait for the sync windows too. Default false. */
    respectSyncWindows: boolean;
    /** Author of revert commits. Default `Berth <berth@localhost>`. */
    author: { name: string; email: string };
  };
  /** Image update automation: tags scanned in registries, the newest committed to the branch. Default none. */
  imageUpdates: ImageUpdateConfig[];
}

/** How the newest tag is chosen, as Flux's ImagePolicy `spec.policy` (the same shape as images' TagPolicy). */
export type ImageTagPolicy =
  | { semver: { range: string } }
  | { alphabetical: { order: 'asc' | 'desc' } }
  | { numerical: { order: 'asc' | 'desc' } };

/** One image a source keeps at its newest tag. Compiled from `sources[].imageUpdates[]`. */
export interface ImageUpdateConfig {
  /** Unique within the source; what `$imagepolicy` markers name. Default: the image's last path component. */
  name: string;
  /** The repository as configured (`registry/repo`, no tag or digest). */
  image: string;
  policy: ImageTagPolicy;
  /** Flux's filterTags: `pattern` in JavaScript syntax (Go's `(?P<name>` rewritten to `(?<name>`), `extract` template. */
  filterTags?: { pattern: string; extract?: string };
  /** How often the registry is asked. Default 1 min. */
  intervalMs: number;
  /** Author and committer of update commits. Default: the source's rollback author. */
  author: { name: string; email: string };
}

/** Berth's configuration after defaults and environment overrides: what every component reads. */
export interface BerthConfig {
  /** Where the configuration came from: a file path, or `null` for defaults and flags only. */
  file: string | null;
  /** Instance name (default `berth`): carried by labels, container names, Redis keys. */
  instance: string;
  /** Working directory for clones and the example repository. Default `.berth` under the current directory. */
  stateDir: string;
  logLevel: string;
  /** `text` on a terminal, `json` otherwise, unless set. */
  logFormat: 'text' | 'json' | undefined;
  redis: {
    /** Default `redis://127.0.0.1:6379`. */
    url: string;
    /** Prefix of every Redis key and bullmq queue. Default `berth:<instance>`. */
    keyPrefix: string;
  };
  docker: {
    /** Docker Engine socket. Default `/var/run/docker.sock`. */
    socket: string;
  };
  node: {
    /** This host's node name: one process per node runs its pods (a per-node lease). Default the host name, lower-cased. */
    name: string;
  };
  api: {
    /** Host and port of Berth's HTTP API and webhooks. Default `127.0.0.1:7433`: loopback only. */
    host: string;
    port: number;
    /** Where the API token is read from; absent: generated into `<stateDir>/api-token`. */
    token?: SecretRef;
    /** Who reads stored state without the token: `loopback` (default) or `none`. */
    anonymousRead: 'loopback' | 'none';
  };
  network: {
    /** Subnet of the cluster (pod) network. Default `10.244.0.0/16`. */
    podCIDR: string;
    /** Range Service virtual IPs are allocated from. Default `10.96.0.0/16`. */
    serviceCIDR: string;
    /** Default `cluster.local`. */
    clusterDomain: string;
    /** Default 30000-32767. */
    nodePortRange: { min: number; max: number };
    /** `iptables` (default) or `userspace` (rootless hosts; reduced). */
    proxyMode: 'iptables' | 'userspace';
    /** Address NodePort, LoadBalancer and Ingress ports are published on. Default `127.0.0.1`. */
    hostAddress: string;
    /** Host port of the Ingress proxy. Default 8080. */
    ingressPort: number;
    /** Host port of the Ingress proxy's HTTPS (SNI certificates from TLS Secrets). Default: none, no HTTPS. */
    ingressTLSPort?: number;
    /** The pod sandbox ("pause") image. Default `berth.local/pause:1`, built by scripts/setup-host. */
    infraImage: string;
    /**
     * `whenNeeded` (default): a pod with one container (no init containers, no
     * shareProcessNamespace, no hostNetwork) runs without a sandbox, and Berth assigns pod IPs on
     * the cluster network itself. `always`: a sandbox ("pause") container per pod.
     */
    podSandbox: 'always' | 'whenNeeded';
  };
  policy: {
    /** Pod Security Standards level for namespaces without the enforce label. Default `baseline`. */
    podSecurity: 'privileged' | 'baseline' | 'restricted';
    /** A Namespace's enforce label may loosen `podSecurity` (else only tighten it). Default false. */
    allowNamespaceOverride: boolean;
    /** Reject kinds Berth ignores (ServiceAccount, RBAC...) instead of warning. Default false. */
    strict: boolean;
    /** `apiVersion kind` pairs skipped instead of rejected (custom resources). Default none. */
    ignoredKinds: string[];
    /** Host path prefixes hostPath volumes may use. Default none: hostPath is refused. */
    hostPathAllowed: string[];
  };
  sources: SourceConfig[];
  /** Private registry credentials for image pulls (after imagePullSecrets, before Docker's config). Default none. */
  registries: RegistryCredential[];
  /** Where events are POSTed as JSON. Default none. */
  notifications: NotificationTarget[];
  /** Encryption at rest of Secret data in Redis. */
  secrets: {
    /** The AES-256-GCM key (base64 of 32 bytes). Default: generated into stateDir, mode 0600. */
    encryptionKey?: SecretRef;
  };
}

/** Credentials of one registry (`registries[]`): the password is read when a pull needs it. */
export interface RegistryCredential {
  /** Registry host[:port], optionally with a repository path prefix or `*` globs (Docker config key rules). */
  host: string;
  username: string;
  password: SecretRef;
}

/** One receiver of Berth's events. */
export interface NotificationTarget {
  url: string;
  /** Event reasons sent; empty: every reason. */
  reasons: string[];
  /** `Normal` and/or `Warning`; default both. */
  types: Array<'Normal' | 'Warning'>;
  /** Signs each body with HMAC-SHA256 in `X-Berth-Signature: sha256=<hex>`. */
  secret?: SecretRef;
}

export type { BerthConfigFile };
