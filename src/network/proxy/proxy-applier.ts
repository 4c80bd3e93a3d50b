import type { Logger } from '../../util/logger.js';
import { ChainNames } from './chain-names.js';
import { enableHairpin } from './hairpin.js';
import { restoreTables, saveTables } from './iptables.js';
import {
  type CompiledProxyOptions,
  compileProxyOptions,
  type ProxyOptions,
} from './proxy-options.js';
import { renderProxyRules } from './proxy-rules.js';
import type { ProxyState } from './proxy-state.js';
import { planCleanup, planRestore } from './restore-plan.js';

/** What one {@link ProxyApplier.apply} did. */
export interface ProxyApplyResult {
  /** Service ports DNATed to at least one endpoint. */
  servicePorts: number;
  /** Service ports rejected for want of a ready endpoint. */
  rejected: number;
  /** Bridge ports switched to hairpin mode by this apply. */
  hairpinPorts: number;
  /** Lines given to iptables-restore. */
  lines: number;
}

/**
 * Keeps the host's iptables in the desired proxy state of one Berth instance. `apply` reads
 * the current tables, renders the whole rule set and writes it with one
 * `iptables-restore --noflush` (per table atomic): jumps from PREROUTING/OUTPUT/POSTROUTING
 * (nat) and INPUT/FORWARD/OUTPUT (filter) exist exactly once, stale chains are deleted in the
 * same restore; then the ports of `hairpinBridges` get hairpin mode. `cleanup` removes every chain and jump of the instance. Calls are serialized.
 */
export class ProxyApplier {
  readonly options: CompiledProxyOptions;
  readonly names: ChainNames;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    options: ProxyOptions,
    private readonly logger?: Logger,
  ) {
    this.options = compileProxyOptions(options);
    this.names = new ChainNames(this.options.instance);
  }

  /** Makes the host's rules match `state`. Throws `InvalidProxyState` before touching anything. */
  apply(state: ProxyState): Promise<ProxyApplyResult> {
    return this.serialize(async () => {
      const ruleSet = renderProxyRules(state, this.options);
      let input = planRestore(ruleSet, await saveTables(this.options));
      try {
        await restoreTables(this.options, input);
      } catch (err) {
        // Another writer may have changed the tables between save and restore: plan once more.
        this.logger?.warn(
          { instance: this.options.instance, err },
          'service proxy restore failed, retrying',
        );
        input = planRestore(ruleSet, await saveTables(this.options));
        await restoreTables(this.options, input);
      }
      // After the rules: a pod that is an endpoint now has its bridge port reflect its hairpin.
      let hairpinPorts = 0;
      for (const bridge of this.options.hairpinBridges) hairpinPorts += await enableHairpin(bridge);
      const result = {
        hairpinPorts,
        servicePorts: ruleSet.nat.rules.filter((r) => r.startsWith(`-A ${this.names.services} -d`))
          .length,
        rejected: ruleSet.filter.rules.length,
        lines: input.split('\n').length - 1,
      };
      this.logger?.info(
        { instance: this.options.instance, ...result },
        'service proxy rules applied',
      );
      return result;
    });
  }

  /** Removes every chain of the instance and every jump into them; a no-op when there are none. */
  cleanup(): Promise<void> {
    return this.serialize(async () => {
      await restoreTables(this.options, planCleanup(this.names, await saveTables(this.options)));
      this.logger?.info({ instance: this.options.instance }, 'service proxy rules removed');
    });
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Removes every iptables chain and jump of `instance` (e.g. for `berth down`). */
export function cleanupProxy(options: ProxyOptions, logger?: Logger): Promise<void> {
  return new ProxyApplier(options, logger).cleanup();
}
