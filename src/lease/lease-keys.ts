/** The Redis keys of an instance's leases, under its key prefix. */
export function leaseKeys(prefix: string) {
  return {
    /** The leader: sources, revisions, history, git writes (rollbacks). */
    leader: `${prefix}:lease:leader`,
    /** The node agent of node `name`: one process per node runs pods. */
    node: (name: string) => `${prefix}:lease:node:${name}`,
    /** A running process (any role): what `berth down` refuses to race with. */
    process: (host: string, pid: number) => `${prefix}:lease:process:${host}:${pid}`,
    /** The SCAN pattern of every process lease (prefix escaped for glob). */
    processPattern: `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:lease:process:*`,
  };
}
