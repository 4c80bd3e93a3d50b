/** One ready endpoint of a {@link BackendPool}: `address` is `ip:port`. */
export interface BackendEndpoint {
  address: string;
  host: string;
  port: number;
}

/**
 * The ready endpoints (`ip:port`) of one Service port an Ingress routes to, taken in turn
 * (round-robin). Empty when the Service has no ready endpoint: the proxy answers 503.
 */
export class BackendPool {
  private turn = 0;
  /** `addresses` split once, so a request parses nothing. */
  private readonly endpoints: readonly BackendEndpoint[];

  constructor(
    /** `namespace/service:port`, for logs and tests. */
    readonly name: string,
    /** Ready endpoints, sorted. */
    readonly addresses: readonly string[],
  ) {
    this.endpoints = addresses.map((address) => {
      const colon = address.lastIndexOf(':');
      return { address, host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
    });
  }

  /** The next endpoint's `ip:port` in turn, or undefined when there is none. */
  next(): string | undefined {
    return this.nextEndpoint()?.address;
  }

  /** The next endpoint in turn, or undefined when there is none. */
  nextEndpoint(): BackendEndpoint | undefined {
    if (this.endpoints.length === 0) return undefined;
    const endpoint = this.endpoints[this.turn % this.endpoints.length];
    this.turn = (this.turn + 1) % this.endpoints.length;
    return endpoint;
  }
}
