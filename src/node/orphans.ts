import type Docker from 'dockerode';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { NODE_LABELS } from './names.js';

/** The default grace period of a container whose pod cannot be rebuilt from its labels. */
const DEFAULT_GRACE_SECONDS = 30;

/** The pod uids that own containers of this instance, with those containers' ids. */
export async function containersByPodUid(
  docker: Docker,
  instance: string,
): Promise<Map<string, string[]>> {
  const list = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [...instanceFilter(instance), `${LABELS.kind}=Pod`] }),
  });
  const byUid = new Map<string, string[]>();
  for (const c of list) {
    const uid = c.Labels?.[NODE_LABELS.uid];
    if (uid) byUid.set(uid, [...(byUid.get(uid) ?? []), c.Id]);
  }
  return byUid;
}

/**
 * Stops (SIGTERM, SIGKILL after the grace period) and removes containers whose pod spec is lost
 * (no sandbox to rebuild it from): the last resort of housekeeping.
 */
export async function removeContainers(
  docker: Docker,
  ids: readonly string[],
  graceSeconds = DEFAULT_GRACE_SECONDS,
): Promise<void> {
  await Promise.all(
    ids.map(async (id) => {
      const c = docker.getContainer(id);
      await c.stop({ t: graceSeconds }).catch(() => undefined);
      await c.remove({ force: true }).catch(() => undefined);
    }),
  );
}
