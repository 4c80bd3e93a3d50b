import type Docker from 'dockerode';
import { parseImageReference, repositoryName } from '../images/index.js';

/** How long an image's RepoDigests are taken as known (they only grow, when pulled under another name). */
const TTL_MS = 60_000;
const known = new Map<string, { digests: string[]; until: number }>();

/**
 * A container's `imageID` as the kubelet's Docker runtime reports it: `docker-pullable://` and
 * the repository digest the image was pulled by (the one of the container's own repository when
 * the image has several), else `docker://` and the local image ID (an image built here or
 * loaded, never pulled). The digest is what runs, whatever its tag names today.
 */
export async function containerImageID(
  docker: Docker,
  imageId: string,
  reference: string,
): Promise<string> {
  if (!imageId) return '';
  let entry = known.get(imageId);
  if (!entry || entry.until < Date.now()) {
    const info = await docker
      .getImage(imageId)
      .inspect()
      .catch(() => undefined);
    entry = { digests: info?.RepoDigests ?? [], until: Date.now() + TTL_MS };
    known.set(imageId, entry);
  }
  const ref = parseImageReference(reference);
  const name = ref ? repositoryName(ref) : undefined;
  const own = entry.digests.find((d) => d.slice(0, d.lastIndexOf('@')) === name);
  const digest = own ?? entry.digests[0];
  return digest ? `docker-pullable://${digest}` : `docker://${imageId}`;
}
