import { type DescribeWriter, describeTime } from './describe-writer.js';

// biome-ignore lint/suspicious/noExplicitAny: object bodies are untyped JSON here
type Any = Record<string, any>;

/**
 * The containers of a pod spec as kubectl describe prints them: image, ports, the command,
 * limits and requests, probes, environment (values of Secrets and ConfigMaps only by
 * reference, never read) and mounts. `statuses` adds the live state of a pod's containers.
 * `template`: the indentation of a Pod Template section.
 */
export function describeContainers(
  w: DescribeWriter,
  title: string,
  containers: readonly Any[],
  options: { template: boolean; statuses?: readonly Any[] },
): void {
  const base = options.template ? 1 : 0;
  w.line(base, `${title}:`);
  for (const c of containers) {
    // kubectl: a template's container names one space deeper than its title, a pod's at level 1.
    w.line(1, `${options.template ? ' ' : ''}${c.name}:`);
    const l = 2;
    const status = options.statuses?.find((s) => s.name === c.name);
    if (status?.containerID) w.field(l, 'Container ID', status.containerID);
    w.field(l, 'Image', c.image);
    if (status) w.field(l, 'Image ID', status.imageID ?? '');
    const ports = (c.ports ?? []) as Any[];
    if (ports.length === 0) {
      w.field(l, 'Port', '<none>');
      w.field(l, 'Host Port', '<none>');
    } else {
      w.field(
        l,
        ports.length > 1 ? 'Ports' : 'Port',
        ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', '),
      );
      w.field(
        l,
        ports.length > 1 ? 'Host Ports' : 'Host Port',
        ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', '),
      );
    }
    list(w, l, 'Command', c.command);
    list(w, l, 'Args', c.args);
    if (status) {
      state(w, l, 'State', status.state ?? {});
      if (status.lastState?.terminated) state(w, l, 'Last State', status.lastState);
      w.field(l, 'Ready', status.ready ? 'True' : 'False');
      w.field(l, 'Restart Count', status.restartCount ?? 0);
    }
    resources(w, l, 'Limits', c.resources?.limits);
    resources(w, l, 'Requests', c.resources?.requests);
    probe(w, l, 'Liveness', c.livenessProbe);
    probe(w, l, 'Readiness', c.readinessProbe);
    probe(w, l, 'Startup', c.startupProbe);
    environment(w, l, c);
    mounts(w, l, c.volumeMounts ?? []);
  }
}

/** A pod spec's `Volumes:` section: each volume's type and what it refers to. */
export function describeVolumes(w: DescribeWriter, level: number, volumes: readonly Any[]): void {
  if (volumes.length === 0) {
    w.field(level, 'Volumes', undefined);
    return;
  }
  w.line(level, 'Volumes:');
  for (const v of volumes) {
    w.line(level + 1, `${v.name}:`);
    const l = level + 2;
    if (v.configMap) {
      w.field(l, 'Type', 'ConfigMap (a volume populated by a ConfigMap)');
      w.field(l, 'Name', v.configMap.name);
    } else if (v.secret) {
      w.field(l, 'Type', 'Secret (a volume populated by a Secret)');
      w.field(l, 'SecretName', v.secret.secretName);
    } else if (v.emptyDir) {
      w.field(l, 'Type', "EmptyDir (a temporary directory that shares a pod's lifetime)");
      w.field(l, 'Medium', v.emptyDir.medium ?? '');
    } else if (v.persistentVolumeClaim) {
      w.field(
        l,
        'Type',
        'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
      );
      w.field(l, 'ClaimName', v.persistentVolumeClaim.claimName);
      w.field(l, 'ReadOnly', v.persistentVolumeClaim.readOnly ? 'true' : 'false');
    } else if (v.hostPath) {
      w.field(l, 'Type', 'HostPath (bare host directory volume)');
      w.field(l, 'Path', v.hostPath.path);
    } else {
      w.field(l, 'Type', Object.keys(v).filter((k) => k !== 'name')[0] ?? '<unknown>');
    }
  }
}

function list(w: DescribeWriter, level: number, title: string, values: unknown): void {
  if (!Array.isArray(values) || values.length === 0) return;
  w.line(level, `${title}:`);
  for (const v of values) w.line(level + 1, String(v));
}

function state(w: DescribeWriter, level: number, title: string, s: Any): void {
  if (s.running) {
    w.field(level, title, 'Running');
    w.field(level + 1, 'Started', describeStarted(s.running.startedAt));
  } else if (s.waiting) {
    w.field(level, title, 'Waiting');
    w.field(level + 1, 'Reason', s.waiting.reason ?? '');
    if (s.waiting.message) w.field(level + 1, 'Message', s.waiting.message);
  } else if (s.terminated) {
    const t = s.terminated;
    w.field(level, title, 'Terminated');
    w.field(level + 1, 'Reason', t.reason ?? '');
    if (t.message) w.field(level + 1, 'Message', t.message);
    w.field(level + 1, 'Exit Code', t.exitCode);
    if (t.signal) w.field(level + 1, 'Signal', t.signal);
    w.field(level + 1, 'Started', describeStarted(t.startedAt));
    w.field(level + 1, 'Finished', describeStarted(t.finishedAt));
  } else {
    w.field(level, title, 'Waiting');
  }
}

function describeStarted(iso: string | undefined): string {
  return describeTime(iso) ?? '<none>';
}

function resources(w: DescribeWriter, level: number, title: string, values: Any | undefined): void {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return;
  w.line(level, `${title}:`);
  for (const [k, v] of entries.sort(([a], [b]) => a.localeCompare(b)))
    w.field(level + 1, k, String(v));
}

function probe(w: DescribeWriter, level: number, title: string, p: Any | undefined): void {
  if (!p) return;
  let action = 'unknown';
  if (p.httpGet)
    action = `http-get http://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? '/'}`;
  else if (p.tcpSocket) action = `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port}`;
  else if (p.exec) action = `exec [${(p.exec.command ?? []).join(' ')}]`;
  w.field(
    level,
    title,
    `${action} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`,
  );
}

function environment(w: DescribeWriter, level: number, c: Any): void {
  for (const from of (c.envFrom ?? []) as Any[]) {
    w.line(level, 'Environment Variables from:');
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    w.line(
      level + 1,
      `${ref?.name}\t${kind}${from.prefix ? ` with prefix '${from.prefix}'` : ''}\tOptional: ${ref?.optional ? 'true' : 'false'}`,
    );
  }
  const env = (c.env ?? []) as Any[];
  if (env.length === 0) {
    w.field(level, 'Environment', undefined);
    return;
  }
  w.line(level, 'Environment:');
  for (const e of env) {
    const from = e.valueFrom as Any | undefined;
    let text: string = e.value ?? '';
    if (from?.secretKeyRef)
      text = `<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${from.secretKeyRef.optional ? 'true' : 'false'}`;
    else if (from?.configMapKeyRef)
      text = `<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${from.configMapKeyRef.optional ? 'true' : 'false'}`;
    else if (from?.fieldRef)
      text = `(${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath})`;
    else if (from?.resourceFieldRef) text = `${from.resourceFieldRef.resource}`;
    w.line(level + 1, `${e.name}:\t${text}`);
  }
}

function mounts(w: DescribeWriter, level: number, volumeMounts: readonly Any[]): void {
  if (volumeMounts.length === 0) {
    w.field(level, 'Mounts', undefined);
    return;
  }
  w.line(level, 'Mounts:');
  for (const m of volumeMounts)
    w.line(
      level + 1,
      `${m.mountPath}${m.subPath ? ` from ${m.name} (${m.readOnly ? 'ro' : 'rw'},path="${m.subPath}")` : ` from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`}`,
    );
}
