import type Docker from 'dockerode';
import { NodeError } from './node-error.js';

/** The node is stopping: no container is created or started any more (code `NodeStopping`). */
export class NodeStoppingError extends NodeError {
  constructor() {
    super('NodeStopping', 'the node is stopping: no container is created or started', {});
  }
}

/**
 * The door every container creation and start of a node goes through. {@link close} shuts it
 * at once, synchronously, when the node stops (SIGTERM, Ctrl-C, a lost node lease): from then
 * on `createContainer` and `Container.start` throw a {@link NodeStoppingError} before any
 * request reaches Docker, whatever sync or job was in flight.
 */
export class StartGate {
  private closed = false;

  /** Shuts the door for good. */
  close(): void {
    this.closed = true;
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Throws a {@link NodeStoppingError} once the door is shut. */
  check(): void {
    if (this.closed) throw new NodeStoppingError();
  }

  /** `docker` whose container creations and starts (and those of its containers) pass the door. */
  wrap(docker: Docker): Docker {
    const gate = this;
    const container = (c: Docker.Container): Docker.Container =>
      new Proxy(c, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (prop === 'start')
            return async (...args: unknown[]) => {
              gate.check();
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    return new Proxy(docker, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === 'createContainer')
          return async (options: Docker.ContainerCreateOptions) => {
            gate.check();
            return container(await target.createContainer(options));
          };
        if (prop === 'getContainer') return (id: string) => container(target.getContainer(id));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
