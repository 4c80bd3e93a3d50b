import { DOCKER_HUB, type ImageReference } from './image-reference.js';

/** Docker Hub as Docker config files name it. */
const HUB_HOSTS = new Set(['index.docker.io', 'docker.io', 'registry-1.docker.io']);

/**
 * Whether a credential's registry key applies to an image, as the kubelet's keyring matches:
 * the key's scheme is ignored, `/v1/` and `/v2/` mean the host itself, the host may hold
 * `*` globs per dot-separated part (same number of parts), the port must be the same, and the
 * key's path must be a prefix of the image's repository. Docker Hub answers to its three names.
 * Returns the match's specificity (longer keys first), or -1 when it does not apply.
 */
export function registryKeyMatch(key: string, image: ImageReference): number {
  const parsed = parseKey(key);
  if (!parsed) return -1;
  const [keyHost, keyPort = ''] = splitPort(parsed.host);
  const [imageHost, imagePort = ''] = splitPort(image.registry);
  if (keyPort !== imagePort) return -1;
  const hub = image.registry === DOCKER_HUB;
  if (hub ? !HUB_HOSTS.has(keyHost) : !hostMatches(keyHost, imageHost)) return -1;
  const repoPath = `/${image.repository}`;
  if (parsed.path && parsed.path !== '/' && !`${repoPath}/`.startsWith(withSlash(parsed.path)))
    return -1;
  return parsed.host.length + parsed.path.length;
}

function parseKey(key: string): { host: string; path: string } | undefined {
  const bare = key.trim().replace(/^https?:\/\//i, '');
  const slash = bare.indexOf('/');
  const host = (slash < 0 ? bare : bare.slice(0, slash)).toLowerCase();
  let path = slash < 0 ? '' : bare.slice(slash);
  if (/^\/v[12](\/|$)/.test(path)) path = path.slice(3);
  if (!host) return undefined;
  return { host, path: path.replace(/\/+$/, '') };
}

function splitPort(host: string): [string, string | undefined] {
  const m = /^(.*?)(?::([0-9]+))?$/.exec(host) as RegExpExecArray;
  return [(m[1] as string).toLowerCase(), m[2]];
}

function hostMatches(glob: string, host: string): boolean {
  const g = glob.split('.');
  const h = host.split('.');
  if (g.length !== h.length) return false;
  return g.every((part, i) => globPart(part).test(h[i] as string));
}

function globPart(part: string): RegExp {
  const escaped = part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]*');
  return new RegExp(`^${escaped}$`);
}

function withSlash(p: string): string {
  return p.endsWith('/') ? p : `${p}/`;
}
