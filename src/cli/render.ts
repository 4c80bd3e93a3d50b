import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { type CliContext, EXIT } from './context.js';
import { repositoryRoot } from './repository-root.js';

/** Options of `berth render`, as commander parses them. */
interface RenderCliOptions {
  reorder: string;
}

/**
 * `berth render [DIR]`: builds the kustomization in DIR (default `.`) as `kustomize build`
 * and prints the YAML stream. Files are read from DIR's repository (bases may live beside
 * DIR, never outside the repository). Exit 0 built, 1 build error, 2 usage error.
 */
export function registerRender(program: Command, ctx: CliContext): void {
  program
    .command('render')
    .description('Print the Kustomize build of DIR (default .) as a YAML stream')
    .argument('[dir]', 'directory holding kustomization.yaml (default: the current directory)')
    .option(
      '--reorder <order>',
      'none (input order) or legacy (by kind, as kustomize build)',
      'legacy',
    )
    .action(async (dir: string | undefined, opts: RenderCliOptions) => {
      if (opts.reorder !== 'none' && opts.reorder !== 'legacy') {
        ctx.stderr.write(`berth render: --reorder must be none or legacy, not "${opts.reorder}"\n`);
        ctx.exitCode = EXIT.usage;
        return;
      }
      const full = path.resolve(ctx.cwd, dir ?? '.');
      const info = await stat(full).catch(() => null);
      if (!info?.isDirectory()) {
        ctx.stderr.write(`berth render: ${dir ?? '.'}: not a directory\n`);
        ctx.exitCode = EXIT.usage;
        return;
      }
      const root = repositoryRoot(full);
      const rel = path.relative(root, full).split(path.sep).join('/');
      const [{ readDirectory }, { formatResources, renderKustomization, RenderError }] =
        await Promise.all([
          import('../manifests/index.js'),
          import('../manifests/render/index.js'),
        ]);
      try {
        const files = await readDirectory(root);
        const resources = renderKustomization(files, rel, {
          reorder: opts.reorder as 'none' | 'legacy',
        });
        ctx.stdout.write(formatResources(resources));
        ctx.exitCode = EXIT.ok;
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        const chain = e.chain.length > 0 ? ` (kustomization ${e.chain.join(' -> ')})` : '';
        ctx.stderr.write(`berth render: ${e.message}${chain}\n`);
        ctx.exitCode = EXIT.failure;
      }
    });
}
