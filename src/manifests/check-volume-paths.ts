import { dataKeyError, localPathError } from '../util/volume-paths.js';
import { pointer } from './field-path.js';
import type { Container, PodSpec } from './generated/k8s-objects.js';
import type { ManifestObject } from './manifest-object.js';
import type { Reporter } from './reporter.js';

/**
 * Checks the data keys of a ConfigMap (`data`, `binaryData`, no key in both) or a Secret
 * (`data`, `stringData`) by Kubernetes' rule: each key becomes a file name in a volume.
 */
export function checkDataKeys(
  report: Reporter,
  obj: ManifestObject,
  value: Record<string, unknown>,
): void {
  const fields = obj.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
  const seen = new Set<string>();
  for (const field of fields) {
    const map = value[field];
    if (!map || typeof map !== 'object') continue;
    for (const key of Object.keys(map)) {
      const err = dataKeyError(key);
      if (err)
        report.error(obj, `/${field}${pointer(key)}`, 'data-key', `key ${quote(key)} ${err}`, true);
      else if (obj.kind === 'ConfigMap' && seen.has(key))
        report.error(
          obj,
          `/${field}${pointer(key)}`,
          'data-key',
          `key ${quote(key)} is in both data and binaryData`,
          true,
        );
      seen.add(key);
    }
  }
}

/**
 * Checks the paths a pod spec asks for inside volumes: `items[].key` and `items[].path` of
 * configMap, secret, downwardAPI and projected volumes, and each container's `subPath`
 * (relative, no `..` element; an item path also not starting with `..`).
 */
export function checkVolumePaths(
  report: Reporter,
  obj: ManifestObject,
  spec: PodSpec,
  at: string,
): void {
  const items = (ptr: string, list: Array<{ key?: string; path: string }> | undefined) => {
    (list ?? []).forEach((item, i) => {
      if (item.key !== undefined) {
        const err = dataKeyError(item.key);
        if (err) report.error(obj, `${ptr}/${i}/key`, 'data-key', `key ${quote(item.key)} ${err}`);
      }
      const err = item.path === '' ? 'must not be empty' : localPathError(item.path, true);
      if (err) report.error(obj, `${ptr}/${i}/path`, 'volume', `path ${quote(item.path)} ${err}`);
    });
  };
  (spec.volumes ?? []).forEach((v, i) => {
    const ptr = `${at}/volumes/${i}`;
    items(`${ptr}/configMap/items`, v.configMap?.items);
    items(`${ptr}/secret/items`, v.secret?.items);
    items(`${ptr}/downwardAPI/items`, v.downwardAPI?.items);
    (v.projected?.sources ?? []).forEach((s, j) => {
      const sp = `${ptr}/projected/sources/${j}`;
      items(`${sp}/configMap/items`, s.configMap?.items);
      items(`${sp}/secret/items`, s.secret?.items);
      items(`${sp}/downwardAPI/items`, s.downwardAPI?.items);
    });
  });
  const containers: Array<[Container[] | undefined, string]> = [
    [spec.initContainers, 'initContainers'],
    [spec.containers, 'containers'],
  ];
  for (const [list, field] of containers)
    (list ?? []).forEach((c, i) => {
      (c.volumeMounts ?? []).forEach((m, j) => {
        if (!m.subPath) return;
        const err = localPathError(m.subPath);
        if (err)
          report.error(
            obj,
            `${at}/${field}/${i}/volumeMounts/${j}/subPath`,
            'volume',
            `subPath ${quote(m.subPath)} ${err}`,
          );
      });
    });
}

function quote(s: string): string {
  return JSON.stringify(s);
}
