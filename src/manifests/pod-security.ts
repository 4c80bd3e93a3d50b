// Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
// the rules that apply to the fields Berth implements. Pure: a PodSpec in, violations out.
import type { Container, PodSpec } from './generated/k8s-objects.js';

/** A Pod Security Standards level, from least to most restrictive. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** One rule broken: the rule's name, the field (pointer relative to the PodSpec), and why. */
export interface PodSecurityViolation {
  level: Exclude<PodSecurityLevel, 'privileged'>;
  rule: string;
  pointer: string;
  message: string;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'downwardAPI',
  'emptyDir',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

interface Located {
  c: Container;
  ptr: string;
}

function containersOf(spec: PodSpec): Located[] {
  return [
    ...(spec.initContainers ?? []).map((c, i) => ({ c, ptr: `/initContainers/${i}` })),
    ...spec.containers.map((c, i) => ({ c, ptr: `/containers/${i}` })),
  ];
}

type Rule = (spec: PodSpec) => Array<Omit<PodSecurityViolation, 'level' | 'rule'>>;

/** The rules, each with the level that introduces it. */
export const POD_SECURITY_RULES: ReadonlyArray<{
  level: PodSecurityViolation['level'];
  rule: string;
  check: Rule;
}> = [
  {
    level: 'baseline',
    rule: 'host namespaces',
    check: (s) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((f) => s[f] === true)
        .map((f) => ({ pointer: `/${f}`, message: `${f} must not be true` })),
  },
  {
    level: 'baseline',
    rule: 'privileged containers',
    check: (s) =>
      containersOf(s)
        .filter(({ c }) => c.securityContext?.privileged === true)
        .map(({ ptr }) => ({
          pointer: `${ptr}/securityContext/privileged`,
          message: 'privileged must not be true',
        })),
  },
  {
    level: 'baseline',
    rule: 'capabilities',
    check: (s) =>
      containersOf(s).flatMap(({ c, ptr }) =>
        (c.securityContext?.capabilities?.add ?? []).flatMap((cap, i) =>
          BASELINE_CAPABILITIES.has(cap)
            ? []
            : [
                {
                  pointer: `${ptr}/securityContext/capabilities/add/${i}`,
                  message: `adding capability ${cap} is not allowed`,
                },
              ],
        ),
      ),
  },
  {
    level: 'baseline',
    rule: 'hostPath volumes',
    check: (s) =>
      (s.volumes ?? []).flatMap((v, i) =>
        v.hostPath
          ? [{ pointer: `/volumes/${i}/hostPath`, message: 'hostPath volumes are not allowed' }]
          : [],
      ),
  },
  {
    level: 'baseline',
    rule: 'host ports',
    check: (s) =>
      containersOf(s).flatMap(({ c, ptr }) =>
        (c.ports ?? []).flatMap((p, i) =>
          p.hostPort
            ? [{ pointer: `${ptr}/ports/${i}/hostPort`, message: 'hostPort must not be set' }]
            : [],
        ),
      ),
  },
  {
    level: 'baseline',
    rule: 'seccomp',
    check: (s) => [
      ...(s.securityContext?.seccompProfile?.type === 'Unconfined'
        ? [
            {
              pointer: '/securityContext/seccompProfile/type',
              message: 'seccompProfile.type must not be Unconfined',
            },
          ]
        : []),
      ...containersOf(s)
        .filter(({ c }) => c.securityContext?.seccompProfile?.type === 'Unconfined')
        .map(({ ptr }) => ({
          pointer: `${ptr}/securityContext/seccompProfile/type`,
          message: 'seccompProfile.type must not be Unconfined',
        })),
    ],
  },
  {
    level: 'restricted',
    rule: 'volume types',
    check: (s) =>
      (s.volumes ?? []).flatMap((v, i) => {
        const type = Object.keys(v).find((k) => k !== 'name');
        return type && !RESTRICTED_VOLUMES.has(type)
          ? [{ pointer: `/volumes/${i}/${type}`, message: `${type} volumes are not allowed` }]
          : [];
      }),
  },
  {
    level: 'restricted',
    rule: 'privilege escalation',
    check: (s) =>
      containersOf(s)
        .filter(({ c }) => c.securityContext?.allowPrivilegeEscalation !== false)
        .map(({ ptr }) => ({
          pointer: `${ptr}/securityContext`,
          message: 'allowPrivilegeEscalation must be false',
        })),
  },
  {
    level: 'restricted',
    rule: 'running as non-root',
    check: (s) =>
      containersOf(s).flatMap(({ c, ptr }) => {
        const nonRoot = c.securityContext?.runAsNonRoot ?? s.securityContext?.runAsNonRoot;
        return nonRoot === true
          ? []
          : [
              {
                pointer: `${ptr}/securityContext`,
                message: 'runAsNonRoot must be true (on the pod or the container)',
              },
            ];
      }),
  },
  {
    level: 'restricted',
    rule: 'running as non-root user',
    check: (s) => [
      ...(s.securityContext?.runAsUser === 0
        ? [{ pointer: '/securityContext/runAsUser', message: 'runAsUser must not be 0' }]
        : []),
      ...containersOf(s)
        .filter(({ c }) => c.securityContext?.runAsUser === 0)
        .map(({ ptr }) => ({
          pointer: `${ptr}/securityContext/runAsUser`,
          message: 'runAsUser must not be 0',
        })),
    ],
  },
  {
    level: 'restricted',
    rule: 'seccomp',
    check: (s) =>
      containersOf(s).flatMap(({ c, ptr }) => {
        const type =
          c.securityContext?.seccompProfile?.type ?? s.securityContext?.seccompProfile?.type;
        return type === 'RuntimeDefault' || type === 'Localhost'
          ? []
          : [
              {
                pointer: `${ptr}/securityContext`,
                message:
                  'seccompProfile.type must be RuntimeDefault or Localhost (on the pod or the container)',
              },
            ];
      }),
  },
  {
    level: 'restricted',
    rule: 'capabilities',
    check: (s) =>
      containersOf(s).flatMap(({ c, ptr }) => {
        const caps = c.securityContext?.capabilities;
        const out: Array<{ pointer: string; message: string }> = [];
        if (!(caps?.drop ?? []).includes('ALL'))
          out.push({
            pointer: `${ptr}/securityContext`,
            message: 'capabilities.drop must include ALL',
          });
        (caps?.add ?? []).forEach((cap, i) => {
          if (cap !== 'NET_BIND_SERVICE')
            out.push({
              pointer: `${ptr}/securityContext/capabilities/add/${i}`,
              message: `only NET_BIND_SERVICE may be added, not ${cap}`,
            });
        });
        return out;
      }),
  },
];

/** The violations of `spec` at `level` (baseline rules apply to restricted too). */
export function checkPodSecurity(spec: PodSpec, level: PodSecurityLevel): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  return POD_SECURITY_RULES.filter((r) => r.level === 'baseline' || level === 'restricted').flatMap(
    (r) => r.check(spec).map((v) => ({ ...v, level: r.level, rule: r.rule })),
  );
}

/** The namespace label that sets the enforced level. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
