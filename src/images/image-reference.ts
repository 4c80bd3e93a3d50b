/**
 * An image reference, normalized as Docker does: `busybox` is `docker.io/library/busybox`; the
 * first path component is a registry only when it has a `.` or a `:` or is `localhost`.
 */
export interface ImageReference {
  /** Registry host, with its port when it has one (`docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Repository path inside the registry (`library/busybox`, `team/app`). */
  repository: string;
  tag: string | undefined;
  /** `sha256:<hex>` when the reference pins a digest. */
  digest: string | undefined;
}

/** Docker Hub's registry name and the host its API answers on. */
export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';

const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;

/** Parses an image reference; undefined when it is not one Docker would accept. */
export function parseImageReference(ref: string): ImageReference | undefined {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
    if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9a-fA-F:]+\](:[0-9]{1,5})?$/.test(registry))
      return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  return { registry, repository: parts.join('/'), tag, digest };
}

/** `registry/repository` as written in a RepoDigest (`docker.io/` left out, as Docker does). */
export function repositoryName(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/')
    ? ref.repository.slice('library/'.length)
    : ref.repository;
}

/** The tag a reference without tag or digest means: `latest`. */
export function effectiveTag(ref: ImageReference): string {
  return ref.tag ?? 'latest';
}
