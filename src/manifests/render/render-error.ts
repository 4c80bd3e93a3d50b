/** Where in a kustomization a build error comes from (1-based line and column). */
export interface RenderPlace {
  file: string;
  line: number;
  column: number;
}

/**
 * A `kustomize build` failure: kustomize's wording in `message`, and, when known, the file
 * and position that caused it plus the chain of kustomizations that brought that file in.
 */
export class RenderError extends Error {
  readonly code = 'kustomize';
  place: RenderPlace | undefined;
  /** Kustomization files from the built one down to the one that failed. */
  chain: string[] = [];

  constructor(message: string, place?: RenderPlace) {
    super(message);
    this.name = 'RenderError';
    this.place = place;
  }

  /** Structured data for logs and API answers. */
  get data(): { place?: RenderPlace; chain: string[] } {
    return { place: this.place, chain: this.chain };
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.data };
  }
}
