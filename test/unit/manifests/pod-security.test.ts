import { describe, expect, it } from 'vitest';
import {
  checkPodSecurity,
  type PodSecurityLevel,
  type PodSpec,
} from '../../../src/manifests/index.js';

const c = { name: 'a', image: 'berth.local/busybox:1' };
const restrictedOk: PodSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    { ...c, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } },
  ],
};

// [description, spec, level, expected rules (sorted)]
const table: Array<[string, PodSpec, PodSecurityLevel, string[]]> = [
  ['plain pod at baseline', { containers: [c] }, 'baseline', []],
  [
    'plain pod at restricted',
    { containers: [c] },
    'restricted',
    ['capabilities', 'privilege escalation', 'running as non-root', 'seccomp'],
  ],
  ['hardened pod at restricted', restrictedOk, 'restricted', []],
  [
    'anything at privileged',
    { hostPID: true, containers: [{ ...c, securityContext: { privileged: true } }] },
    'privileged',
    [],
  ],
  ['hostPID', { hostPID: true, containers: [c] }, 'baseline', ['host namespaces']],
  ['hostIPC false is fine', { hostIPC: false, containers: [c] }, 'baseline', []],
  [
    'privileged init container',
    { containers: [c], initContainers: [{ ...c, securityContext: { privileged: true } }] },
    'baseline',
    ['privileged containers'],
  ],
  [
    'baseline capability',
    { containers: [{ ...c, securityContext: { capabilities: { add: ['CHOWN'] } } }] },
    'baseline',
    [],
  ],
  [
    'SYS_ADMIN',
    { containers: [{ ...c, securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] },
    'baseline',
    ['capabilities'],
  ],
  [
    'hostPath',
    { containers: [c], volumes: [{ name: 'h', hostPath: { path: '/x' } }] },
    'baseline',
    ['hostPath volumes'],
  ],
  [
    'hostPort',
    { containers: [{ ...c, ports: [{ containerPort: 80, hostPort: 80 }] }] },
    'baseline',
    ['host ports'],
  ],
  [
    'container seccomp Unconfined',
    { containers: [{ ...c, securityContext: { seccompProfile: { type: 'Unconfined' } } }] },
    'baseline',
    ['seccomp'],
  ],
  [
    'runAsUser 0 at restricted',
    { ...restrictedOk, securityContext: { ...restrictedOk.securityContext, runAsUser: 0 } },
    'restricted',
    ['running as non-root user'],
  ],
  [
    'CHOWN at restricted',
    {
      ...restrictedOk,
      containers: [
        {
          ...c,
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'], add: ['CHOWN'] },
          },
        },
      ],
    },
    'restricted',
    ['capabilities'],
  ],
  [
    'pvc at restricted',
    { ...restrictedOk, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'd' } }] },
    'restricted',
    [],
  ],
];

describe('Pod Security Standards', () => {
  for (const [description, spec, level, rules] of table) {
    it(`${description}: ${rules.join(', ') || 'allowed'}`, () => {
      const got = [...new Set(checkPodSecurity(spec, level).map((v) => v.rule))].sort();
      expect(got).toEqual(rules);
    });
  }
});
