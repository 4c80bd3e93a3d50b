import { createHash } from 'node:crypto';
import type { ImageReference } from './image-reference.js';
import { DOCKER_HUB, DOCKER_HUB_API } from './image-reference.js';
import type { PullCredential } from './pull-credentials.js';
import { RegistryError } from './registry-error.js';
import { type RegistryResponse, RegistryTransport } from './registry-transport.js';

/** The manifest media types a digest is resolved for (an index first, as `docker pull` asks). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

/** Tags read per page of `/tags/list`, and pages at most (a runaway registry stops there). */
const PAGE_SIZE = 1000;
const MAX_PAGES = 100;

/**
 * Berth's own client of the Registry HTTP API v2 (the distribution spec): resolves a tag to
 * the digest it names now, lists a repository's tags (following `Link` pagination). It
 * authenticates as registries ask in `WWW-Authenticate`: a Bearer token from the realm (with
 * the credentials as basic auth, scope `repository:<name>:pull`), or Basic. Errors never
 * carry a credential.
 */
export class RegistryClient {
  constructor(
    readonly transport: RegistryTransport = new RegistryTransport(),
    /** Tags asked per page of `/tags/list`. Default 1000. */
    private readonly pageSize = PAGE_SIZE,
  ) {}

  /** The digest (`sha256:...`) the reference's tag (or digest) names in its registry now. */
  async resolveDigest(image: ImageReference, credential?: PullCredential): Promise<string> {
    const ref = image.digest ?? image.tag ?? 'latest';
    const res = await this.get(image, `/manifests/${ref}`, credential, {
      method: 'HEAD',
      headers: { accept: MANIFEST_TYPES },
    });
    const digest = res.headers['docker-content-digest'];
    if (typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest;
    // A registry that gives no digest on HEAD: read the manifest and hash it ourselves.
    const full = await this.get(image, `/manifests/${ref}`, credential, {
      headers: { accept: MANIFEST_TYPES },
    });
    return `sha256:${createHash('sha256').update(full.body).digest('hex')}`;
  }

  /** Every tag of the repository, in the registry's order. */
  async listTags(image: ImageReference, credential?: PullCredential): Promise<string[]> {
    const tags: string[] = [];
    let next: string | undefined = `/tags/list?n=${this.pageSize}`;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const res = await this.get(image, next, credential);
      const body = JSON.parse(res.body.toString('utf8')) as { tags?: unknown };
      if (Array.isArray(body.tags))
        for (const t of body.tags) if (typeof t === 'string') tags.push(t);
      next = nextPage(String(res.headers.link ?? ''), image.repository);
    }
    return tags;
  }

  /** A GET (or HEAD) under `/v2/<repository>`, authenticated when the registry asks. */
  private async get(
    image: ImageReference,
    suffix: string,
    credential: PullCredential | undefined,
    init: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<RegistryResponse> {
    const host = apiHost(image);
    const pathAndQuery = suffix.startsWith('/v2/') ? suffix : `/v2/${image.repository}${suffix}`;
    const request = (auth?: string) =>
      this.transport
        .request(host, pathAndQuery, {
          ...init,
          headers: { ...init.headers, ...(auth ? { authorization: auth } : {}) },
        })
        .catch((err: Error) => {
          throw new RegistryError(
            'RegistryUnreachable',
            `registry ${image.registry} did not answer: ${err.message}`,
            { registry: image.registry },
            { cause: err },
          );
        });
    let res = await request();
    if (res.status === 401) {
      const auth = await this.authorization(image, res, credential);
      if (auth) res = await request(auth);
    }
    if (res.status >= 200 && res.status < 300) return res;
    throw failure(image, res, credential);
  }

  /** The Authorization header a 401's challenge asks for, or undefined when none can be made. */
  private async authorization(
    image: ImageReference,
    res: RegistryResponse,
    credential: PullCredential | undefined,
  ): Promise<string | undefined> {
    const challenge = String(res.headers['www-authenticate'] ?? '');
    const basic = credential
      ? `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`
      : undefined;
    if (/^basic\b/i.test(challenge)) return basic;
    if (!/^bearer\b/i.test(challenge)) return undefined;
    const params = parseChallenge(challenge);
    if (!params.realm) return undefined;
    const realm = new URL(params.realm);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', `repository:${image.repository}:pull`);
    const token = await this.transport
      .requestUrl(realm, { headers: basic ? { authorization: basic } : {} })
      .catch((err: Error) => {
        throw new RegistryError(
          'RegistryUnreachable',
          `the token service of ${image.registry} did not answer: ${err.message}`,
          { registry: image.registry },
        );
      });
    if (token.status !== 200) throw failure(image, token, credential);
    const body = JSON.parse(token.body.toString('utf8')) as {
      token?: string;
      access_token?: string;
    };
    const value = body.token ?? body.access_token;
    return value ? `Bearer ${value}` : undefined;
  }
}

/** The host the API of a registry answers on (Docker Hub's is not docker.io). */
function apiHost(image: ImageReference): string {
  return image.registry === DOCKER_HUB ? DOCKER_HUB_API : image.registry;
}

/** `key="value"` pairs of a `WWW-Authenticate` challenge. */
export function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^\w+\s+/, '').matchAll(/(\w+)="([^"]*)"/g))
    out[(m[1] as string).toLowerCase()] = m[2] as string;
  return out;
}

/** The path of the `rel="next"` page of a `Link` header, if it stays on the same repository. */
export function nextPage(link: string | undefined, repository: string): string | undefined {
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '');
  if (!m) return undefined;
  const url = new URL(m[1] as string, 'http://registry.invalid');
  if (url.pathname !== `/v2/${repository}/tags/list`) return undefined;
  return `${url.pathname}${url.search}`;
}

function failure(
  image: ImageReference,
  res: RegistryResponse,
  credential: PullCredential | undefined,
): RegistryError {
  const detail = registryMessage(res);
  const data = { registry: image.registry, repository: image.repository, status: res.status };
  if (res.status === 401 || res.status === 403) {
    const who = credential ? `with the credentials of ${credential.origin}` : 'anonymously';
    return new RegistryError(
      'RegistryUnauthorized',
      `registry ${image.registry} refused access to ${image.repository} ${who}: ${detail}`,
      data,
    );
  }
  if (res.status === 404)
    return new RegistryError(
      'RegistryNotFound',
      `${image.registry}/${image.repository}: ${detail}`,
      data,
    );
  return new RegistryError(
    'RegistryError',
    `registry ${image.registry} answered ${res.status}: ${detail}`,
    data,
  );
}

/** The first error of a distribution-spec error body, else the status. */
function registryMessage(res: RegistryResponse): string {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>;
    };
    const e = body.errors?.[0];
    if (e) return [e.code, e.message].filter(Boolean).join(': ').slice(0, 300);
  } catch {
    // not JSON
  }
  return `HTTP ${res.status}`;
}
