import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LABELS } from '../runtime/index.js';
import { type VolumeFile, writeAtomically } from './atomic-writer.js';
import type { PodFacts } from './field-ref.js';
import { NODE_LABELS, podLabels, podNamespace, podUid } from './names.js';
import { NodeError } from './node-error.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { Container, Pod, Volume } from './pod-spec.js';
import { resolveSubPath } from './safe-subpath.js';
import { configMapData, downwardFiles, keyFiles, secretBytes } from './volume-files.js';

/** Where each volume of a pod lives on the host: a directory to bind-mount. */
export type PodVolumes = Map<string, { hostPath: string; readOnly: boolean }>;

/**
 * Makes every volume of a pod exist on the host with its current content, and returns where.
 * Idempotent: called on every sync, so a changed ConfigMap or Secret is written (atomically)
 * into the running pod. emptyDir → a directory under stateDir (`medium: Memory`: under the
 * tmpfs memoryDir); configMap, downwardAPI → stateDir; secret, projected → memoryDir;
 * hostPath → only under `hostPathAllowed`; persistentVolumeClaim → the Docker volume
 * `<instance>_<namespace>_pvc_<claimName>`, created when missing, never removed with the pod.
 */
export async function prepareVolumes(
  pod: Pod,
  opts: CompiledNodeOptions,
  facts: PodFacts,
): Promise<PodVolumes> {
  const out: PodVolumes = new Map();
  const ns = podNamespace(pod);
  const gid = pod.spec.securityContext?.fsGroup;
  // Only root on the host may look into pods' volumes (Secrets live under memoryDir).
  for (const root of [opts.stateDir, opts.memoryDir]) {
    await mkdir(path.join(root, 'pods'), { recursive: true });
    await chmod(path.join(root, 'pods'), 0o700);
  }
  for (const volume of pod.spec.volumes ?? []) {
    const disk = path.join(podDir(opts.stateDir, pod), volume.name);
    const memory = path.join(podDir(opts.memoryDir, pod), volume.name);
    if (volume.emptyDir) {
      const dir = volume.emptyDir.medium === 'Memory' ? memory : disk;
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777);
      out.set(volume.name, { hostPath: dir, readOnly: false });
    } else if (volume.configMap) {
      const src = volume.configMap;
      // A reference without a name names "", as Kubernetes reads it.
      const data = configMapData(await opts.lookup.configMap(ns, src.name ?? ''));
      const files = keyFiles(
        { kind: 'configmap', ...src, name: src.name ?? '' },
        data,
        src.items,
        src.defaultMode ?? 0o644,
      );
      await writeAtomically(disk, files, gid);
      out.set(volume.name, { hostPath: disk, readOnly: true });
    } else if (volume.secret) {
      const src = volume.secret;
      const data = secretBytes(await opts.lookup.secret(ns, src.secretName ?? ''));
      const files = keyFiles(
        { kind: 'secret', name: src.secretName ?? '', ...(src.optional ? { optional: true } : {}) },
        data,
        src.items,
        src.defaultMode ?? 0o644,
      );
      await writeAtomically(memory, files, gid);
      out.set(volume.name, { hostPath: memory, readOnly: true });
    } else if (volume.downwardAPI) {
      const files = downwardFiles(
        pod,
        volume.downwardAPI.items,
        volume.downwardAPI.defaultMode ?? 0o644,
        facts,
      );
      await writeAtomically(disk, files, gid);
      out.set(volume.name, { hostPath: disk, readOnly: true });
    } else if (volume.projected) {
      await writeAtomically(memory, await projectedFiles(pod, volume, opts, facts), gid);
      out.set(volume.name, { hostPath: memory, readOnly: true });
    } else if (volume.hostPath) {
      out.set(volume.name, { hostPath: await hostPath(volume, opts), readOnly: false });
    } else if (volume.persistentVolumeClaim) {
      const claim = volume.persistentVolumeClaim;
      const mountpoint = await claimVolume(pod, claim.claimName, opts);
      out.set(volume.name, { hostPath: mountpoint, readOnly: claim.readOnly ?? false });
    } else {
      throw new NodeError(
        'CreateContainerConfigError',
        `volume "${volume.name}" has no supported source`,
        {
          volume: volume.name,
        },
      );
    }
  }
  return out;
}

/** Docker `Binds` of one container's volumeMounts (`subPath` resolved inside the volume). */
export async function volumeBinds(container: Container, volumes: PodVolumes): Promise<string[]> {
  const binds: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (!volume) {
      throw new NodeError(
        'CreateContainerConfigError',
        `container ${container.name}: volumeMount "${mount.name}" names no volume of the pod`,
        { container: container.name, volume: mount.name },
      );
    }
    const source = mount.subPath
      ? await resolveSubPath(volume.hostPath, mount.subPath, mount.name)
      : volume.hostPath;
    const ro = mount.readOnly || volume.readOnly;
    binds.push(`${source}:${mount.mountPath}${ro ? ':ro' : ''}`);
  }
  return binds;
}

/** Removes a pod's host directories: volumes (emptyDir content goes with the pod; PVCs stay), termination logs. */
export async function removePodVolumes(pod: Pod, opts: CompiledNodeOptions): Promise<void> {
  await rm(path.dirname(podDir(opts.stateDir, pod)), { recursive: true, force: true });
  await rm(path.dirname(podDir(opts.memoryDir, pod)), { recursive: true, force: true });
}

function podDir(root: string, pod: Pod): string {
  return path.join(root, 'pods', podUid(pod), 'volumes');
}

async function projectedFiles(
  pod: Pod,
  volume: Volume,
  opts: CompiledNodeOptions,
  facts: PodFacts,
): Promise<Record<string, VolumeFile>> {
  const ns = podNamespace(pod);
  const mode = volume.projected?.defaultMode ?? 0o644;
  let files: Record<string, VolumeFile> = {};
  for (const source of volume.projected?.sources ?? []) {
    if (source.configMap) {
      const name = source.configMap.name ?? '';
      const data = configMapData(await opts.lookup.configMap(ns, name));
      files = {
        ...files,
        ...keyFiles(
          { kind: 'configmap', ...source.configMap, name },
          data,
          source.configMap.items,
          mode,
        ),
      };
    }
    if (source.secret) {
      const name = source.secret.name ?? '';
      const data = secretBytes(await opts.lookup.secret(ns, name));
      files = {
        ...files,
        ...keyFiles({ kind: 'secret', ...source.secret, name }, data, source.secret.items, mode),
      };
    }
    if (source.downwardAPI)
      files = { ...files, ...downwardFiles(pod, source.downwardAPI.items, mode, facts) };
  }
  return files;
}

async function hostPath(volume: Volume, opts: CompiledNodeOptions): Promise<string> {
  const spec = volume.hostPath as NonNullable<Volume['hostPath']>;
  const resolved = path.resolve(spec.path);
  const allowed = opts.hostPathAllowed.some((prefix) => {
    const p = path.resolve(prefix);
    return resolved === p || resolved.startsWith(p.endsWith('/') ? p : `${p}/`);
  });
  if (!allowed) {
    throw new NodeError(
      'CreateContainerConfigError',
      `hostPath ${spec.path} of volume "${volume.name}" is not under policy.hostPathAllowed (${opts.hostPathAllowed.join(', ') || 'empty: hostPath is refused'})`,
      { volume: volume.name, path: spec.path },
    );
  }
  const type = spec.type ?? '';
  const info = await stat(resolved).catch(() => undefined);
  if (type === 'DirectoryOrCreate' && !info)
    await mkdir(resolved, { recursive: true, mode: 0o755 });
  else if (type === 'FileOrCreate' && !info) {
    await mkdir(path.dirname(resolved), { recursive: true });
    await writeFile(resolved, '', { mode: 0o644 });
  } else if (
    (type === 'Directory' && !info?.isDirectory()) ||
    (type === 'File' && !info?.isFile())
  ) {
    throw new NodeError(
      'CreateContainerConfigError',
      `hostPath ${spec.path} is not an existing ${type.toLowerCase()}`,
      {
        volume: volume.name,
        path: spec.path,
        type,
      },
    );
  }
  return resolved;
}

/** The Docker volume of a claim, created (labelled) when missing; returns its mount point. */
async function claimVolume(
  pod: Pod,
  claimName: string,
  opts: CompiledNodeOptions,
): Promise<string> {
  const name = claimVolumeName(opts.instance, podNamespace(pod), claimName);
  const existing = await opts.docker
    .getVolume(name)
    .inspect()
    .catch(() => undefined);
  if (existing) return existing.Mountpoint;
  const labels: Record<string, string> = {
    ...podLabels(opts.instance, pod),
    [LABELS.kind]: 'PersistentVolumeClaim',
    [LABELS.name]: claimName,
  };
  delete labels[LABELS.pod];
  delete labels[NODE_LABELS.uid];
  await opts.docker.createVolume({ Name: name, Labels: labels });
  return (await opts.docker.getVolume(name).inspect()).Mountpoint;
}

/** The Docker volume name of a PersistentVolumeClaim: `<instance>_<namespace>_pvc_<claim>`. */
export function claimVolumeName(instance: string, namespace: string, claim: string): string {
  return `${instance}_${namespace}_pvc_${claim}`;
}
