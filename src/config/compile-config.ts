import os from 'node:os';
import path from 'node:path';
import { parseDuration } from '../util/duration.js';
import { refNameProblem } from '../util/git-ref-name.js';
import { withoutUserinfo } from '../util/without-userinfo.js';
import type {
  BerthConfig,
  BerthConfigFile,
  ReviewConfig,
  SecretRef,
  SourceConfig,
  SourceRef,
} from './berth-config.js';
import { compileImageUpdates } from './compile-image-updates.js';
import { checkDependencies, compileSyncWindows } from './compile-sync-order.js';
import { ConfigError } from './config-error.js';

type SourceFile = NonNullable<BerthConfigFile['sources']>[number];

/** The environment variables that override the file, each named in the README. */
export const ENV = {
  instance: 'BERTH_INSTANCE',
  stateDir: 'BERTH_STATE_DIR',
  logLevel: 'BERTH_LOG_LEVEL',
  logFormat: 'BERTH_LOG_FORMAT',
  redisUrl: 'BERTH_REDIS_URL',
  dockerSocket: 'BERTH_DOCKER_SOCKET',
  apiListen: 'BERTH_API_LISTEN',
  infraImage: 'BERTH_INFRA_IMAGE',
  podSandbox: 'BERTH_POD_SANDBOX',
  podSecurity: 'BERTH_POD_SECURITY',
  podCIDR: 'BERTH_POD_CIDR',
  serviceCIDR: 'BERTH_SERVICE_CIDR',
  ingressPort: 'BERTH_INGRESS_PORT',
  nodeName: 'BERTH_NODE_NAME',
} as const;

/** Inputs of {@link compileConfig}: precedence is defaults < file < environment < flags. */
export interface CompileInput {
  /** The parsed, schema-valid configuration file, or undefined when there is none. */
  file?: BerthConfigFile;
  /** Path of that file: relative paths in it are resolved from its directory. */
  filePath?: string | null;
  env?: NodeJS.ProcessEnv;
  /** A single source given on the command line (`berth up --repo ...`); replaces the file's sources. */
  source?: SourceFile;
  /** Directory relative paths are resolved from when there is no file. Default `process.cwd()`. */
  cwd?: string;
}

/**
 * Compiles raw configuration once, at the boundary: applies defaults and overrides, turns
 * durations into milliseconds, resolves paths, and rejects what a schema cannot (conflicting
 * refs, duplicate source names) with a {@link ConfigError}.
 */
export function compileConfig(input: CompileInput = {}): BerthConfig {
  const env = input.env ?? process.env;
  const file: Partial<BerthConfigFile> = input.file ?? {};
  const baseDir = input.filePath
    ? path.dirname(path.resolve(input.filePath))
    : (input.cwd ?? process.cwd());
  const instance = env[ENV.instance] ?? file.instance ?? 'berth';
  if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(instance)) {
    throw new ConfigError(
      `instance "${instance}" must be lower-case letters, digits and '-', at most 32`,
      {
        field: 'instance',
      },
    );
  }
  const listen = parseListen(env[ENV.apiListen] ?? file.api?.listen ?? '127.0.0.1:7433');
  const logFormat = env[ENV.logFormat] ?? file.logFormat;
  if (logFormat !== undefined && logFormat !== 'text' && logFormat !== 'json') {
    throw new ConfigError(`${ENV.logFormat} must be text or json, not "${logFormat}"`, {
      field: 'logFormat',
    });
  }
  const podSecurity = env[ENV.podSecurity] ?? file.policy?.podSecurity ?? 'baseline';
  if (!['privileged', 'baseline', 'restricted'].includes(podSecurity)) {
    throw new ConfigError(
      `${ENV.podSecurity} must be privileged, baseline or restricted, not "${podSecurity}"`,
      {
        field: 'policy.podSecurity',
      },
    );
  }
  const podSandbox = env[ENV.podSandbox] ?? file.network?.podSandbox ?? 'whenNeeded';
  if (podSandbox !== 'always' && podSandbox !== 'whenNeeded') {
    throw new ConfigError(`${ENV.podSandbox} must be always or whenNeeded, not "${podSandbox}"`, {
      field: 'network.podSandbox',
    });
  }
  const rawSources = input.source ? [input.source] : (file.sources ?? []);
  const sources = rawSources.map((s, i) => compileSource(s, i, baseDir));
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.name))
      throw new ConfigError(`sources: the name "${s.name}" is used twice`, { field: 'sources' });
    seen.add(s.name);
  }
  checkDependencies(sources);
  return {
    file: input.filePath ? path.resolve(input.filePath) : null,
    instance,
    stateDir: path.resolve(baseDir, env[ENV.stateDir] ?? file.stateDir ?? '.berth'),
    logLevel: env[ENV.logLevel] ?? file.logLevel ?? 'info',
    logFormat: logFormat as BerthConfig['logFormat'],
    redis: {
      url: env[ENV.redisUrl] ?? file.redis?.url ?? 'redis://127.0.0.1:6379',
      keyPrefix: file.redis?.keyPrefix ?? `berth:${instance}`,
    },
    docker: {
      socket:
        env[ENV.dockerSocket] ??
        dockerHostSocket(env) ??
        file.docker?.socket ??
        '/var/run/docker.sock',
    },
    node: { name: nodeName(env[ENV.nodeName] ?? file.node?.name) },
    api: {
      ...listen,
      ...(file.api?.token ? { token: fromDir(file.api.token, baseDir) } : {}),
      anonymousRead: file.api?.anonymousRead ?? 'loopback',
    },
    network: {
      podCIDR: env[ENV.podCIDR] ?? file.network?.podCIDR ?? '10.244.0.0/16',
      serviceCIDR: env[ENV.serviceCIDR] ?? file.network?.serviceCIDR ?? '10.96.0.0/16',
      clusterDomain: file.network?.clusterDomain ?? 'cluster.local',
      nodePortRange: parseRange(file.network?.nodePortRange ?? '30000-32767'),
      proxyMode: file.network?.proxyMode ?? 'iptables',
      hostAddress: file.network?.hostAddress ?? '127.0.0.1',
      ingressPort: envPort(env, ENV.ingressPort) ?? file.network?.ingressPort ?? 8080,
      ...(file.network?.ingressTLSPort !== undefined
        ? { ingressTLSPort: file.network.ingressTLSPort }
        : {}),
      infraImage: env[ENV.infraImage] ?? file.network?.infraImage ?? 'berth.local/pause:1',
      podSandbox,
    },
    policy: {
      podSecurity: podSecurity as BerthConfig['policy']['podSecurity'],
      allowNamespaceOverride: file.policy?.allowNamespaceOverride ?? false,
      strict: file.policy?.strict ?? false,
      ignoredKinds: file.policy?.ignoredKinds ?? [],
      hostPathAllowed: file.policy?.hostPathAllowed ?? [],
    },
    sources,
    registries: (file.registries ?? []).map((r) => ({
      host: r.host,
      username: r.username,
      password: fromDir(r.password, baseDir),
    })),
    secrets: file.secrets?.encryptionKey
      ? { encryptionKey: fromDir(file.secrets.encryptionKey, baseDir) }
      : {},
    notifications: (file.notifications ?? []).map((n) => ({
      url: n.url,
      reasons: n.reasons ?? [],
      types: n.types ?? ['Normal', 'Warning'],
      ...(n.secret ? { secret: fromDir(n.secret, baseDir) } : {}),
    })),
  };
}

function compileSource(s: SourceFile, index: number, baseDir: string): SourceConfig {
  const field = `sources[${index}]`;
  const refs = (['branch', 'tag', 'commit'] as const).filter((k) => s[k] !== undefined);
  if (refs.length > 1) {
    throw new ConfigError(
      `${field} (${s.name}): give one of branch, tag or commit, not ${refs.join(' and ')}`,
      {
        field,
      },
    );
  }
  // A branch or tag names a file under .git/refs that Berth writes (rollbacks, image updates).
  for (const k of ['branch', 'tag'] as const) {
    const problem = s[k] === undefined ? undefined : refNameProblem(s[k]);
    if (problem)
      throw new ConfigError(
        `${field}.${k} (${s.name}): "${s[k]}" is not a git ref name: ${problem}`,
        {
          field: `${field}.${k}`,
        },
      );
  }
  const ref: SourceRef = s.tag
    ? { tag: s.tag }
    : s.commit
      ? { commit: s.commit }
      : { branch: s.branch ?? 'main' };
  const remote = /^https?:\/\//.test(s.repo);
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(s.repo);
  // Credentials in the URL would be printed (status, config view, logs): refuse them.
  if (url && hasUserinfo(s.repo)) {
    throw new ConfigError(
      `${field} (${s.name}): repo ${withoutUserinfo(s.repo)} carries credentials in the URL: remove them and use auth (basic or bearer, {env} or {file}) instead`,
      { field: `${field}.repo` },
    );
  }
  if (!remote && url) {
    throw new ConfigError(
      `${field} (${s.name}): repo "${withoutUserinfo(s.repo)}": only local paths and http(s) URLs are supported`,
      {
        field: `${field}.repo`,
      },
    );
  }
  if (!remote && s.auth) {
    throw new ConfigError(`${field} (${s.name}): auth is only for http(s) repositories`, {
      field: `${field}.auth`,
    });
  }
  const sourcePath = path.posix.normalize(s.path ?? '.');
  if (sourcePath.startsWith('..') || path.posix.isAbsolute(sourcePath)) {
    throw new ConfigError(
      `${field} (${s.name}): path "${s.path}" must stay inside the repository`,
      {
        field: `${field}.path`,
      },
    );
  }
  const rollbackAuthor = {
    name: s.rollback?.authorName ?? 'Berth',
    email: s.rollback?.authorEmail ?? 'berth@localhost',
  };
  return {
    name: s.name,
    repo: remote ? s.repo : path.resolve(baseDir, s.repo),
    remote,
    ref,
    path: sourcePath,
    intervalMs: parseDuration(s.interval ?? '60s'),
    ...(s.auth ? { auth: { ...s.auth, password: fromDir(s.auth.password, baseDir) } } : {}),
    ...(s.webhookSecret ? { webhookSecret: fromDir(s.webhookSecret, baseDir) } : {}),
    ...(s.decryption
      ? { decryption: { ...s.decryption, ageKeys: fromDir(s.decryption.ageKeys, baseDir) } }
      : {}),
    ...(s.review ? { review: compileReview(s.review, field, s.name, baseDir) } : {}),
    prune: s.prune ?? true,
    selfHeal: s.selfHeal ?? true,
    dependsOn: s.dependsOn ?? [],
    syncWindows: compileSyncWindows(s.syncWindows ?? [], field, s.name),
    rollback: {
      enabled: s.rollback?.enabled ?? false,
      respectSyncWindows: s.rollback?.respectSyncWindows ?? false,
      maxConsecutive: s.rollback?.maxConsecutive ?? 3,
      author: rollbackAuthor,
    },
    imageUpdates: compileImageUpdates(s.imageUpdates ?? [], index, s.name, ref, rollbackAuthor),
  };
}

const DEFAULT_BASE_URL: Partial<Record<ReviewConfig['forge'], string>> = {
  github: 'https://api.github.com',
};

function compileReview(
  r: NonNullable<SourceFile['review']>,
  field: string,
  name: string,
  baseDir: string,
): ReviewConfig {
  const baseUrl = (r.baseUrl ?? DEFAULT_BASE_URL[r.forge])?.replace(/\/+$/, '');
  if (!baseUrl) {
    throw new ConfigError(
      `${field} (${name}): review.baseUrl is required for ${r.forge} (the forge's address, like https://${r.forge}.example.com)`,
      { field: `${field}.review.baseUrl` },
    );
  }
  if (r.forge !== 'gitlab' && !/^[^/\s]+\/[^/\s]+$/.test(r.repository)) {
    throw new ConfigError(
      `${field} (${name}): review.repository "${r.repository}" must be owner/name for ${r.forge}`,
      { field: `${field}.review.repository` },
    );
  }
  return {
    forge: r.forge,
    baseUrl,
    repository: r.repository,
    token: fromDir(r.token, baseDir),
    statusContext: r.statusContext ?? 'berth/plan',
  };
}

function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):([0-9]{1,5})$/.exec(listen);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError(`api listen address "${listen}" must be HOST:PORT, like 127.0.0.1:7433`, {
      field: 'api.listen',
    });
  }
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

function parseRange(range: string): { min: number; max: number } {
  const [min, max] = range.split('-').map(Number) as [number, number];
  if (!(min >= 1 && max <= 65535 && min <= max)) {
    throw new ConfigError(`network.nodePortRange "${range}" must be MIN-MAX within 1-65535`, {
      field: 'network.nodePortRange',
    });
  }
  return { min, max };
}

function dockerHostSocket(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
}

/** A port number from an environment variable, or undefined when it is unset. */
function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number (1-65535), not "${value}"`, { name });
  }
  return port;
}

/** True when a URL names a user or password (`https://user:token@host/...`). */
function hasUserinfo(repo: string): boolean {
  try {
    const u = new URL(repo);
    return u.username !== '' || u.password !== '';
  } catch {
    // Not parseable as a URL: look for `scheme://…@` before the first `/` of the path.
    return /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(repo);
  }
}

/** `node.name` (or BERTH_NODE_NAME), checked; default the host name, lower-cased. */
function nodeName(name: string | undefined): string {
  const value = name ?? os.hostname().toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value)) {
    throw new ConfigError(
      `node.name "${value}" must be lower-case letters, digits, '-' and '.', at most 253${name === undefined ? ' (it defaults to the host name: set node.name in berth.yaml)' : ''}`,
      { field: 'node.name' },
    );
  }
  return value;
}

/**
 * A secret reference with its `{file}` resolved from the configuration file's directory, as
 * every other relative path in it (a `berth up` started from another directory reads the same
 * file); `{env}` references are left as they are.
 */
function fromDir<T extends SecretRef>(ref: T, baseDir: string): T {
  return ref.file !== undefined ? { ...ref, file: path.resolve(baseDir, ref.file) } : ref;
}
