import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface FieldTable {
  source: string;
  kinds: Record<string, number>;
  types: Array<Record<string, number>>;
}

let table: FieldTable | undefined;

function load(): FieldTable {
  table ??= JSON.parse(
    readFileSync(
      fileURLToPath(new URL('../../schemas/k8s/kubernetes-fields.json', import.meta.url)),
      'utf8',
    ),
  ) as FieldTable;
  return table;
}

/**
 * Whether Kubernetes itself has `field` in the object at `segments` (JSON Pointer segments,
 * array indexes included) of an `apiVersion kind`: `yes` (so Berth merely does not support it),
 * `no` (a field nobody has: a typo), or `map` when the place is a free-form map or unknown.
 * Read from schemas/k8s/kubernetes-fields.json (scripts/generate-k8s-fields.mjs).
 */
export function kubernetesHasField(
  kindKey: string,
  segments: readonly string[],
  field: string,
): 'yes' | 'no' | 'map' {
  const t = load();
  let index = t.kinds[kindKey];
  if (index === undefined) return 'map';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) continue;
    const next: number | undefined = t.types[index]?.[segment];
    if (next === undefined || next < 0) return 'map';
    index = next;
  }
  return t.types[index]?.[field] !== undefined ? 'yes' : 'no';
}
