import type { BerthConfig } from '../config/index.js';
import {
  credentialsFor,
  type DockerRegistryConfig,
  findImageDrift,
  type ImageDrift,
  parseImageReference,
  RegistryClient,
  RegistryTransport,
  type RunningPod,
} from '../images/index.js';
import { hostCredentials, type Pod, podPullSecrets, type Secret } from '../node/index.js';
import { connectDocker } from '../runtime/index.js';
import { connectRedis, RedisObjectStore, SOURCE_ANNOTATION } from '../store/index.js';

/**
 * The images of a source's running pods whose tags now name another digest in their registry
 * (what `berth plan` against live shows). Credentials as a pull would try them: the pod's
 * imagePullSecrets, berth.yaml's registries, Docker's config; insecure registries as dockerd
 * says. A registry that cannot be asked is reported with its error, never a credential.
 */
export async function liveImageDrift(config: BerthConfig, source: string): Promise<ImageDrift[]> {
  const redis = await connectRedis(config.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const store = new RedisObjectStore(redis, config.redis.keyPrefix);
    const pods = (await store.list('Pod')).filter(
      (p) => p.metadata.annotations?.[SOURCE_ANNOTATION] === source,
    );
    if (pods.length === 0) return [];
    const running: RunningPod[] = pods.map((p) => ({
      namespace: p.metadata.namespace ?? 'default',
      name: p.metadata.name,
      spec: p.spec,
      ...(p.status ? { status: p.status } : {}),
    }));
    // dockerd's insecure registries; without Docker, Docker's defaults (127.0.0.0/8).
    const info = await connectDocker(config.docker.socket)
      .then((docker) => docker.info())
      .catch(() => undefined);
    const client = new RegistryClient(
      new RegistryTransport({
        dockerRegistryConfig: (info as { RegistryConfig?: DockerRegistryConfig } | undefined)
          ?.RegistryConfig,
        timeoutMs: 10_000,
      }),
    );
    const host = await hostCredentials(config);
    const lookup = {
      configMap: () => undefined,
      secret: async (ns: string, name: string) =>
        (await store.get(`Secret/${ns}/${name}`)) as unknown as Secret | undefined,
    };
    return await findImageDrift(running, client, async (pod, image) => {
      const ref = parseImageReference(image);
      if (!ref) return [];
      const asPod = {
        metadata: { name: pod.name, namespace: pod.namespace },
        spec: pod.spec,
      } as Pod;
      const secrets = await podPullSecrets(asPod, lookup);
      return credentialsFor(ref, [...secrets.sources, ...host]);
    });
  } finally {
    redis.disconnect();
  }
}
