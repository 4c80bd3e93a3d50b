import { type Controller, nodeServices } from './controller.js';

/**
 * The node controller of Service keys (given to `enqueueNode` by the Service controller): the
 * host's proxy rules, DNS records and forwarded ports are rebuilt from every Service and
 * Endpoints in the store, whichever Service woke it (level-triggered; a burst of changes
 * costs one rebuild each, each one complete).
 */
export const serviceProxyController: Controller = {
  kind: 'Service',
  queue: 'node',
  async reconcile(deps, { key }) {
    const result = await nodeServices(deps).serviceProxy.sync(deps.store);
    deps.logger.debug(
      {
        service: key,
        proxiedPorts: result.proxiedPorts,
        forwardedPorts: result.forwardedPorts.length,
      },
      'service proxy synced',
    );
  },
};
