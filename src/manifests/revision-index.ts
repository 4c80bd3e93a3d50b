import type { ManifestObject } from './manifest-object.js';

/** A schema-valid object of a revision: where it came from and its data (nulls stripped). */
export interface CheckedObject {
  obj: ManifestObject;
  value: Record<string, unknown>;
}

/** Lookups across a revision for the cross-object checks (references, selectors, namespaces). */
export class RevisionIndex {
  private readonly byName = new Map<string, CheckedObject>();
  private readonly invalid: ReadonlySet<string>;
  readonly all: CheckedObject[];

  /**
   * `objects` are the schema-valid objects; `invalid` the objects of supported kinds that
   * failed their schema (they have errors of their own: references to them are not
   * reported again as missing).
   */
  constructor(objects: CheckedObject[], invalid: readonly ManifestObject[] = []) {
    this.all = objects;
    this.invalid = new Set(invalid.map((o) => `${o.kind}/${o.namespace}/${o.name}`));
    for (const o of objects) {
      const key = `${o.obj.kind}/${o.obj.namespace}/${o.obj.name}`;
      if (!this.byName.has(key)) this.byName.set(key, o);
    }
  }

  /** The object of `kind` named `name` in `namespace` (`''` for cluster-wide kinds), if any. */
  get(kind: string, namespace: string, name: string): CheckedObject | undefined {
    return this.byName.get(`${kind}/${namespace}/${name}`);
  }

  /** True when the revision holds such an object, schema-valid or not. */
  exists(kind: string, namespace: string, name: string): boolean {
    const key = `${kind}/${namespace}/${name}`;
    return this.byName.has(key) || this.invalid.has(key);
  }

  /** Every object of `kind` in `namespace`. */
  ofKind(kind: string, namespace?: string): CheckedObject[] {
    return this.all.filter(
      (o) => o.obj.kind === kind && (namespace === undefined || o.obj.namespace === namespace),
    );
  }
}
