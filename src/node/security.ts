import { NodeError } from './node-error.js';
import type { Container, Pod } from './pod-spec.js';

/** Docker HostConfig/Config fields of the effective security context (container over pod). */
export interface DockerSecurity {
  User?: string;
  GroupAdd?: string[];
  ReadonlyRootfs?: boolean;
  CapAdd?: string[];
  CapDrop?: string[];
  Privileged?: boolean;
  SecurityOpt?: string[];
}

/**
 * Maps pod- and container-level securityContext to Docker: runAsUser/runAsGroup → User,
 * supplementalGroups and fsGroup → GroupAdd, capabilities (without the `CAP_` prefix, `ALL`
 * allowed), privileged, readOnlyRootFilesystem, allowPrivilegeEscalation: false →
 * no-new-privileges, seccompProfile Unconfined → seccomp=unconfined. runAsNonRoot with a root
 * user (explicit or the image's, `imageUser`) is refused with CreateContainerConfigError.
 */
export function dockerSecurity(pod: Pod, container: Container, imageUser: string): DockerSecurity {
  const podSc = pod.spec.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const uid = sc.runAsUser ?? podSc.runAsUser;
  const gid = sc.runAsGroup ?? podSc.runAsGroup;
  const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
  if (nonRoot) {
    const effective = uid ?? numericUser(imageUser);
    if (effective === undefined || effective === 0) {
      throw new NodeError(
        'CreateContainerConfigError',
        `container ${container.name} has runAsNonRoot and ${uid === 0 ? 'runAsUser 0' : `image user "${imageUser || 'root'}" is root or not numeric`}`,
        { container: container.name },
      );
    }
  }
  const out: DockerSecurity = {};
  if (uid !== undefined || gid !== undefined)
    out.User = `${uid ?? 0}${gid !== undefined ? `:${gid}` : ''}`;
  const groups = [
    ...(podSc.supplementalGroups ?? []),
    ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []),
  ];
  if (groups.length > 0) out.GroupAdd = groups.map(String);
  if (sc.readOnlyRootFilesystem) out.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) out.CapAdd = sc.capabilities.add.map(capName);
  if (sc.capabilities?.drop?.length) out.CapDrop = sc.capabilities.drop.map(capName);
  if (sc.privileged) out.Privileged = true;
  const opts: string[] = [];
  if (sc.allowPrivilegeEscalation === false) opts.push('no-new-privileges');
  const seccomp = sc.seccompProfile ?? podSc.seccompProfile;
  if (seccomp?.type === 'Unconfined') opts.push('seccomp=unconfined');
  if (seccomp?.type === 'Localhost') {
    throw new NodeError(
      'CreateContainerConfigError',
      `container ${container.name}: seccompProfile Localhost is not supported by Berth`,
      {
        container: container.name,
      },
    );
  }
  if (opts.length > 0) out.SecurityOpt = opts;
  return out;
}

function capName(cap: string): string {
  return cap.toUpperCase().replace(/^CAP_/, '');
}

function numericUser(user: string): number | undefined {
  const first = user.split(':')[0] ?? '';
  if (first === '' || first === 'root') return 0;
  return /^\d+$/.test(first) ? Number(first) : undefined;
}
