/**
 * The ready endpoints (`ip:port`) of one Service port an Ingress routes to, taken in turn
 * (round-robin). Empty when the Service has no ready endpoint: the proxy answers 503.
 */
export class BackendPool {
  private turn = 0;

  constructor(
    /** `namespace/service:port`, for logs and tests. */
    readonly name: string,
    /** Ready endpoints, sorted. */
    readonly addresses: readonly string[],
  ) {}

  /** The next endpoint in turn, or undefined when there is none. */
  next(): string | undefined {
    if (this.addresses.length === 0) return undefined;
    const address = this.addresses[this.turn % this.addresses.length];
    this.turn = (this.turn + 1) % this.addresses.length;
    return address;
  }
}
