import type { ChainNames } from './chain-names.js';
import type { ProxyRuleSet, TableRules } from './proxy-rules.js';

/** The tables the proxy writes. */
export type ProxyTable = 'nat' | 'filter';

/** `iptables-save -t <table>` output of each table, as read before a restore. */
export type CurrentTables = Record<ProxyTable, string>;

/** A jump from a built-in chain into the instance's chains. */
interface Jump {
  chain: string;
  spec: string;
}

/** The jumps from built-in chains an instance needs, each of which must exist exactly once. */
export function wantedJumps(names: ChainNames): Record<ProxyTable, Jump[]> {
  const services = `-m comment --comment "berth ${names.instance} services" -j ${names.services}`;
  const filterSpec = `-m conntrack --ctstate NEW ${services}`;
  return {
    nat: [
      { chain: 'PREROUTING', spec: services },
      { chain: 'OUTPUT', spec: services },
      {
        chain: 'POSTROUTING',
        spec: `-m comment --comment "berth ${names.instance} postrouting" -j ${names.postrouting}`,
      },
    ],
    filter: [
      { chain: 'INPUT', spec: filterSpec },
      { chain: 'FORWARD', spec: filterSpec },
      { chain: 'OUTPUT', spec: filterSpec },
    ],
  };
}

/** What `iptables-save` shows of the instance: its chains and the rules that jump into them. */
interface Present {
  chains: string[];
  /** `-A <builtin> ...` lines (as saved) whose target is one of the instance's chains. */
  jumps: string[];
}

function present(save: string, names: ChainNames): Present {
  const chains: string[] = [];
  const jumps: string[] = [];
  for (const line of save.split('\n')) {
    if (line.startsWith(':')) {
      const chain = line.slice(1).split(' ')[0] ?? '';
      if (names.owns(chain)) chains.push(chain);
    } else if (line.startsWith('-A ')) {
      const [, chain] = line.split(' ');
      const target = / -j (\S+)/.exec(line)?.[1];
      if (chain && !names.owns(chain) && target && names.owns(target)) jumps.push(line);
    }
  }
  return { chains: chains.sort(), jumps };
}

/**
 * The `iptables-restore --noflush` input that moves the host from `current` to `ruleSet`, in one
 * transaction per table: every wanted chain is declared (which flushes it) and refilled; each
 * wanted jump from a built-in chain is inserted first if missing and its duplicates (and jumps
 * of an older form) are deleted; chains of the instance no longer wanted are flushed and
 * deleted. Nothing outside the instance's chains and jumps is touched.
 */
export function planRestore(ruleSet: ProxyRuleSet, current: CurrentTables): string {
  const jumps = wantedJumps(ruleSet.names);
  return (['nat', 'filter'] as const)
    .map((table) => planTable(table, ruleSet.names, ruleSet[table], jumps[table], current[table]))
    .join('');
}

/**
 * The `iptables-restore --noflush` input that removes every chain of the instance and every
 * jump into them; empty when the instance has nothing on the host.
 */
export function planCleanup(names: ChainNames, current: CurrentTables): string {
  return (['nat', 'filter'] as const)
    .map((table) => planTable(table, names, { chains: [], rules: [] }, [], current[table]))
    .join('');
}

function planTable(
  table: ProxyTable,
  names: ChainNames,
  wanted: TableRules,
  jumps: Jump[],
  save: string,
): string {
  const now = present(save, names);
  const stale = now.chains.filter((c) => !wanted.chains.includes(c));
  if (wanted.chains.length === 0 && now.chains.length === 0 && now.jumps.length === 0) return '';
  const lines = [`*${table}`];
  for (const chain of [...new Set([...wanted.chains, ...stale])].sort())
    lines.push(`:${chain} - [0:0]`);
  // Jumps: keep exactly one of each wanted jump, drop every other jump into the instance.
  const remaining = new Map(jumps.map((j) => [`-A ${j.chain} ${j.spec}`, 1]));
  for (const line of now.jumps) {
    const left = remaining.get(line) ?? 0;
    if (left > 0) remaining.set(line, left - 1);
    else lines.push(`-D ${line.slice(3)}`);
  }
  for (const jump of jumps)
    if ((remaining.get(`-A ${jump.chain} ${jump.spec}`) ?? 0) > 0)
      lines.push(`-I ${jump.chain} 1 ${jump.spec}`);
  lines.push(...wanted.rules);
  for (const chain of stale) lines.push(`-X ${chain}`);
  lines.push('COMMIT');
  return `${lines.join('\n')}\n`;
}
