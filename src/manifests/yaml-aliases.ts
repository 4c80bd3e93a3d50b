import { type Document, isAlias, isCollection, isNode, isPair } from 'yaml';

/** Most aliases in one YAML document of a repository. */
export const MAX_YAML_ALIASES = 1_000;
/** Most nodes the aliases of one document may add once expanded. */
export const MAX_ALIAS_NODES = 100_000;

/** Where a parsed YAML document first uses aliases past the limits (an offset in the text). */
export interface AliasExcess {
  offset: number;
  message: string;
}

/**
 * Checks the aliases of a parsed document before anything resolves them, in one pass over its
 * nodes: at most {@link MAX_YAML_ALIASES} aliases, adding at most {@link MAX_ALIAS_NODES} nodes
 * when expanded. The `yaml` library's own guard (`maxAliasCount`) counts scalars, so aliases of
 * an anchor without any (`&x []`) pass it, and it resolves each alias by a scan of the aliases
 * before it: without this bound, 300 KB of `*x` took minutes (quadratic). Recursion depth is
 * the document's nesting, bounded by `nestingDepthExcess` before the parse.
 */
export function aliasExcess(
  doc: Document,
  limits = { aliases: MAX_YAML_ALIASES, nodes: MAX_ALIAS_NODES },
): AliasExcess | undefined {
  const sizes = new Map<string, number>(); // anchor → nodes of its value, aliases expanded
  let aliases = 0;
  let added = 0;
  let excess: AliasExcess | undefined;
  const size = (node: unknown): number => {
    if (excess) return 0;
    if (isAlias(node)) {
      const s = sizes.get(node.source) ?? 0;
      aliases++;
      added += s;
      const offset = node.range?.[0] ?? 0;
      if (aliases > limits.aliases)
        excess = { offset, message: `more than ${limits.aliases} aliases in one document` };
      else if (added > limits.nodes)
        excess = { offset, message: `aliases expand to more than ${limits.nodes} nodes` };
      return s;
    }
    let n = 1;
    if (isPair(node)) n = size(node.key) + size(node.value);
    else if (isCollection(node)) for (const item of node.items) n += size(item);
    if (isNode(node) && node.anchor) sizes.set(node.anchor, n);
    return n;
  };
  size(doc.contents);
  return excess;
}
