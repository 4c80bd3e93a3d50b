import { parseImageReference } from './image-reference.js';
import type { PullCredential } from './pull-credentials.js';
import type { RegistryClient } from './registry-client.js';

/** A pod as the store holds it: the images its spec names and the imageIDs its status reports. */
export interface RunningPod {
  namespace: string;
  name: string;
  spec: {
    containers?: Array<{ name: string; image: string }>;
    initContainers?: Array<{ name: string; image: string }>;
  };
  status?: { containerStatuses?: Array<{ name: string; imageID?: string }> };
}

/** An image whose tag names another digest in its registry than the one pods run. */
export interface ImageDrift {
  /** The image as the pods name it (`registry/repo:tag`). */
  image: string;
  /** What the tag names in the registry now; absent when it could not be asked (`error`). */
  resolved?: string;
  /** The digests the pods run. */
  running: string[];
  /** `namespace/name` of the pods that run another digest than `resolved`. */
  pods: string[];
  /** Why the registry could not be asked (no credential in it). */
  error?: string;
}

/**
 * Asks the registry what each tag the running pods use names now and reports every image
 * whose pods run another digest (known from `status.containerStatuses[].imageID`,
 * `docker-pullable://repo@sha256:...`). Images pinned by digest and images never pulled
 * (`docker://sha256:...`, built or loaded on the host) are left out. `credentialsOf` gives the
 * credentials a pull by that pod would try; the first that works is used, else anonymous.
 */
export async function findImageDrift(
  pods: readonly RunningPod[],
  client: RegistryClient,
  credentialsOf: (pod: RunningPod, image: string) => Promise<PullCredential[]>,
): Promise<ImageDrift[]> {
  const byImage = new Map<string, { pod: RunningPod; digests: Map<string, string[]> }>();
  for (const pod of pods) {
    const containers = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
    for (const status of pod.status?.containerStatuses ?? []) {
      const digest = pulledDigest(status.imageID ?? '');
      const image = containers.find((c) => c.name === status.name)?.image;
      if (!digest || !image || image.includes('@')) continue;
      const entry = byImage.get(image) ?? { pod, digests: new Map<string, string[]>() };
      const names = entry.digests.get(digest) ?? [];
      names.push(`${pod.namespace}/${pod.name}`);
      entry.digests.set(digest, names);
      byImage.set(image, entry);
    }
  }
  const drift: ImageDrift[] = [];
  for (const [image, { pod, digests }] of byImage) {
    const ref = parseImageReference(image);
    if (!ref) continue;
    const running = [...digests.keys()].sort();
    let resolved: string | undefined;
    let error: string | undefined;
    for (const credential of [...(await credentialsOf(pod, image)), undefined]) {
      try {
        resolved = await client.resolveDigest(ref, credential);
        break;
      } catch (err) {
        error ??= err instanceof Error ? err.message : String(err);
      }
    }
    if (!resolved) {
      drift.push({ image, running, pods: [], ...(error ? { error } : {}) });
      continue;
    }
    const stale = [...digests].filter(([d]) => d !== resolved).flatMap(([, names]) => names);
    if (stale.length) drift.push({ image, resolved, running, pods: stale.sort() });
  }
  return drift.sort((a, b) => a.image.localeCompare(b.image));
}

/** The digest of a `docker-pullable://repo@sha256:...` (or containerd's `repo@sha256:...`) imageID. */
export function pulledDigest(imageID: string): string | undefined {
  if (imageID.startsWith('docker://')) return undefined;
  const at = imageID.lastIndexOf('@');
  const digest = at > 0 ? imageID.slice(at + 1) : '';
  return /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}
