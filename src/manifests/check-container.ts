import { checkQuantity } from './check-quantity.js';
import { checkRef } from './check-references.js';
import { portNameError } from './dns-names.js';
import type { Container, ResourceList } from './generated/k8s-objects.js';
import type { PodCheckContext } from './pod-check-context.js';
import { parseQuantity } from './quantity.js';

/**
 * Checks one container: name, image, port names, named probe ports, exactly one handler per
 * probe and hook, quantities, mounts of declared volumes, and the ConfigMaps and Secrets its
 * environment refers to. `volumes` are the pod's volume names; `portNames` collects the pod's.
 */
export function checkContainer(
  ctx: PodCheckContext,
  c: Container,
  ptr: string,
  volumes: Set<string>,
  portNames: Set<string>,
): void {
  const { report, obj } = ctx;
  if (!c.image)
    report.error(
      obj,
      `${ptr}/image`,
      'container',
      'required field is missing: Berth needs an image to run',
    );
  const own = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    if (p.name === undefined) return;
    const err = portNameError(p.name);
    if (err) report.error(obj, `${ptr}/ports/${i}/name`, 'port', `port name "${p.name}" ${err}`);
    if (portNames.has(p.name))
      report.error(
        obj,
        `${ptr}/ports/${i}/name`,
        'port',
        `port name "${p.name}" is used twice in the pod`,
      );
    portNames.add(p.name);
    own.add(p.name);
  });
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const pr = c[probe];
    if (pr) exactlyOne(ctx, `${ptr}/${probe}`, pr, ['exec', 'httpGet', 'tcpSocket'], 'a probe');
    for (const handler of ['httpGet', 'tcpSocket'] as const) {
      const port = pr?.[handler]?.port;
      if (typeof port === 'string' && !/^\d+$/.test(port) && !own.has(port))
        report.error(
          obj,
          `${ptr}/${probe}/${handler}/port`,
          'port',
          `port "${port}" is not the name of a port of container "${c.name}"`,
        );
    }
  }
  for (const which of ['requests', 'limits'] as const) {
    const list: ResourceList | undefined = c.resources?.[which];
    for (const r of ['cpu', 'memory'] as const)
      if (list?.[r] !== undefined) checkQuantity(ctx, `${ptr}/resources/${which}/${r}`, list[r]);
  }
  for (const r of ['cpu', 'memory'] as const) {
    const req = parseQuantity(c.resources?.requests?.[r]);
    const lim = parseQuantity(c.resources?.limits?.[r]);
    if (req !== null && lim !== null && req > lim)
      report.error(
        obj,
        `${ptr}/resources/requests/${r}`,
        'quantity',
        `request ${c.resources?.requests?.[r]} is more than the limit ${c.resources?.limits?.[r]}`,
      );
  }
  (c.volumeMounts ?? []).forEach((m, i) => {
    if (!volumes.has(m.name))
      report.error(
        obj,
        `${ptr}/volumeMounts/${i}/name`,
        'volume',
        `volume "${m.name}" is not declared in the pod's volumes`,
      );
  });
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = c.lifecycle?.[hook];
    if (h)
      exactlyOne(
        ctx,
        `${ptr}/lifecycle/${hook}`,
        h,
        ['exec', 'httpGet', 'sleep'],
        'a lifecycle hook',
      );
  }
  (c.envFrom ?? []).forEach((e, i) => {
    exactlyOne(ctx, `${ptr}/envFrom/${i}`, e, ['configMapRef', 'secretRef'], 'envFrom');
  });
  (c.env ?? []).forEach((e, i) => {
    const from = e.valueFrom;
    const ep = `${ptr}/env/${i}/valueFrom`;
    if (from) {
      if (e.value !== undefined)
        report.error(
          obj,
          `${ptr}/env/${i}/value`,
          'container',
          `env "${e.name}": give value or valueFrom, not both`,
        );
      exactlyOne(
        ctx,
        ep,
        from,
        ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'],
        'valueFrom',
      );
    }
    if (from?.configMapKeyRef)
      checkRef(
        ctx,
        `${ep}/configMapKeyRef/name`,
        'ConfigMap',
        from.configMapKeyRef.name,
        from.configMapKeyRef.optional,
        [from.configMapKeyRef.key],
        `${ep}/configMapKeyRef`,
      );
    if (from?.secretKeyRef)
      checkRef(
        ctx,
        `${ep}/secretKeyRef/name`,
        'Secret',
        from.secretKeyRef.name,
        from.secretKeyRef.optional,
        [from.secretKeyRef.key],
        `${ep}/secretKeyRef`,
      );
    if (from?.resourceFieldRef?.divisor !== undefined)
      checkQuantity(ctx, `${ep}/resourceFieldRef/divisor`, from.resourceFieldRef.divisor);
  });
  (c.envFrom ?? []).forEach((e, i) => {
    if (e.configMapRef)
      checkRef(
        ctx,
        `${ptr}/envFrom/${i}/configMapRef/name`,
        'ConfigMap',
        e.configMapRef.name,
        e.configMapRef.optional,
      );
    if (e.secretRef)
      checkRef(
        ctx,
        `${ptr}/envFrom/${i}/secretRef/name`,
        'Secret',
        e.secretRef.name,
        e.secretRef.optional,
      );
  });
}

/** Reports an object that sets none, or more than one, of the alternatives `fields`. */
function exactlyOne(
  ctx: PodCheckContext,
  ptr: string,
  value: object,
  fields: readonly string[],
  what: string,
): void {
  const set = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined);
  if (set.length === 1) return;
  ctx.report.error(
    ctx.obj,
    ptr,
    'container',
    set.length === 0
      ? `${what} needs one of ${fields.join(', ')}`
      : `${what} sets ${set.join(' and ')}: give exactly one of ${fields.join(', ')}`,
  );
}
