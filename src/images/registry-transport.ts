import { lookup } from 'node:dns/promises';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

/** What dockerd says about registries (`docker info` → RegistryConfig): who is insecure. */
export interface DockerRegistryConfig {
  /** dockerd's `insecure-registries` CIDRs (dockerd always adds 127.0.0.0/8). Default 127.0.0.0/8. */
  InsecureRegistryCIDRs?: string[];
  /** Per registry name: `Secure: false` for the names listed in `insecure-registries`. */
  IndexConfigs?: Record<string, { Secure?: boolean }>;
}

/** Options of {@link RegistryTransport}. */
export interface RegistryTransportOptions {
  /** dockerd's registry configuration. Default: only 127.0.0.0/8 is insecure. */
  dockerRegistryConfig?: DockerRegistryConfig;
  /** Where per-registry CA certificates live (`<dir>/<host:port>/*.crt`). Default `/etc/docker/certs.d`. */
  certsDir?: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

/** One HTTP answer, body read whole (registry API answers are small). */
export interface RegistryResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (its scheme says whether plain HTTP was used). */
  url: string;
}

const MAX_BODY = 8 * 1024 * 1024;

/**
 * HTTP to registries the way dockerd reaches them: HTTPS verified against the host's CA store
 * plus `/etc/docker/certs.d/<host:port>/*.crt` (and a `client.cert`/`client.key` pair there);
 * for a registry Docker treats as insecure (its address in `insecure-registries` CIDRs, which
 * always hold 127.0.0.0/8, or its name listed there) HTTPS without verification first, then
 * plain HTTP, as Docker falls back.
 */
export class RegistryTransport {
  private readonly blockList = new BlockList();
  private readonly insecureNames = new Set<string>();
  private readonly secureNames = new Set<string>();
  private readonly certsDir: string;
  private readonly timeoutMs: number;
  /** The scheme an insecure registry answered on last time. */
  private readonly schemes = new Map<string, 'https' | 'http'>();

  constructor(options: RegistryTransportOptions = {}) {
    const config = options.dockerRegistryConfig ?? {};
    for (const cidr of config.InsecureRegistryCIDRs ?? ['127.0.0.0/8']) {
      const [net, bits] = cidr.split('/');
      const type = isIP(net ?? '') === 6 ? 'ipv6' : 'ipv4';
      if (net && bits && isIP(net)) this.blockList.addSubnet(net, Number(bits), type);
    }
    for (const [name, index] of Object.entries(config.IndexConfigs ?? {})) {
      (index.Secure === false ? this.insecureNames : this.secureNames).add(name);
    }
    this.certsDir = options.certsDir ?? '/etc/docker/certs.d';
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Whether Docker treats this registry (`host[:port]`) as insecure. */
  async isInsecure(registry: string): Promise<boolean> {
    if (this.insecureNames.has(registry)) return true;
    if (this.secureNames.has(registry)) return false;
    const host = registry.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
    const addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true }).catch(() => []);
    return addresses.some((a) => this.blockList.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'));
  }

  /** Requests `pathAndQuery` of a registry (`host[:port]`), choosing scheme and TLS as Docker would. */
  async request(
    registry: string,
    pathAndQuery: string,
    init: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<RegistryResponse> {
    if (!(await this.isInsecure(registry))) {
      return this.send(
        new URL(`https://${registry}${pathAndQuery}`),
        init,
        await this.tlsFor(registry),
      );
    }
    const first = this.schemes.get(registry) ?? 'https';
    const order: Array<'https' | 'http'> =
      first === 'https' ? ['https', 'http'] : ['http', 'https'];
    let lastErr: unknown;
    for (const scheme of order) {
      try {
        const url = new URL(`${scheme}://${registry}${pathAndQuery}`);
        const res = await this.send(url, init, { rejectUnauthorized: false });
        // An HTTPS port asked in plain HTTP answers 400: try the other scheme.
        if (scheme === 'http' && res.status === 400 && order[0] === 'http') throw new Error('400');
        this.schemes.set(registry, scheme);
        return res;
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  }

  /** Requests an absolute URL (a token realm, a `Link` page): TLS options of its host. */
  async requestUrl(
    url: URL,
    init: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<RegistryResponse> {
    const insecure = await this.isInsecure(url.host);
    const tlsOptions = insecure ? { rejectUnauthorized: false } : await this.tlsFor(url.host);
    return this.send(url, init, tlsOptions);
  }

  /** CA roots (the host's plus certs.d) and a client pair, when certs.d has them. */
  private async tlsFor(registry: string): Promise<https.RequestOptions> {
    const dir = path.join(this.certsDir, registry);
    const names = await readdir(dir).catch(() => [] as string[]);
    const cas = await Promise.all(
      names.filter((n) => n.endsWith('.crt')).map((n) => readFile(path.join(dir, n), 'utf8')),
    );
    const options: https.RequestOptions = {};
    if (cas.length) options.ca = [...tls.rootCertificates, ...cas];
    const cert = names.find((n) => n.endsWith('.cert'));
    const key = cert && names.find((n) => n === `${cert.slice(0, -'.cert'.length)}.key`);
    if (cert && key) {
      options.cert = await readFile(path.join(dir, cert));
      options.key = await readFile(path.join(dir, key));
    }
    return options;
  }

  private send(
    url: URL,
    init: { method?: string; headers?: Record<string, string> },
    tlsOptions: https.RequestOptions,
  ): Promise<RegistryResponse> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        url,
        {
          method: init.method ?? 'GET',
          headers: { 'user-agent': 'berth', ...init.headers },
          timeout: this.timeoutMs,
          ...(url.protocol === 'https:' ? tlsOptions : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) req.destroy(new Error(`answer of ${url.host} is too large`));
            else chunks.push(c);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
              url: url.toString(),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${url.host} did not answer in time`)));
      req.on('error', reject);
      req.end();
    });
  }
}
