import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { ValidationResult } from '../manifests/index.js';
import type { SourceFile } from '../source/index.js';
import { type CliContext, EXIT } from './context.js';
import { validatePolicy } from './policy.js';
import { repositoryRoot } from './repository-root.js';

/** Options of `berth validate`, as commander parses them. */
interface ValidateCliOptions {
  output: string;
  strict?: boolean;
  config?: string;
}

/**
 * `berth validate [PATH...]`: validates the manifests under each PATH (default `.`) as one
 * revision. Exit 0 valid (warnings allowed), 1 invalid, 2 usage error.
 */
export function registerValidate(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Validate the manifests under PATH (default .) as Berth would deploy them')
    .argument('[path...]', 'directories or files of manifests (default: the current directory)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--strict', 'reject kinds Berth ignores (ServiceAccount, RBAC...) instead of warning')
    .option(
      '-c, --config <file>',
      'configuration file for the policy (default: $BERTH_CONFIG or ./berth.yaml)',
    )
    .action(async (paths: string[], opts: ValidateCliOptions) => {
      if (opts.output !== 'text' && opts.output !== 'json') {
        ctx.stderr.write(`berth validate: --output must be text or json, not "${opts.output}"\n`);
        ctx.exitCode = EXIT.usage;
        return;
      }
      const [
        { loadConfig },
        {
          AgeKeyring,
          decryptAndValidate,
          formatJson,
          formatText,
          readDirectory,
          repositoryViewFor,
        },
        { validateKeyring },
      ] = await Promise.all([
        import('../config/index.js'),
        import('../manifests/index.js'),
        import('./validate-keyring.js'),
      ]);
      const config = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      const files: SourceFile[] = [];
      for (const arg of paths.length > 0 ? paths : ['.']) {
        const full = path.resolve(ctx.cwd, arg);
        const info = await stat(full).catch(() => null);
        if (!info) {
          ctx.stderr.write(`berth validate: ${arg}: no such file or directory\n`);
          ctx.exitCode = EXIT.usage;
          return;
        }
        const prefix = info.isDirectory() ? arg : path.dirname(arg);
        for (const f of await readDirectory(full)) {
          files.push({
            ...f,
            path: path.posix.normalize(path.posix.join(prefix.split(path.sep).join('/'), f.path)),
          });
        }
      }
      const keyring = await validateKeyring(config, ctx.env).catch((err: Error) => {
        ctx.stderr.write(`berth validate: ${err.message}\n`);
        return AgeKeyring.empty;
      });
      // One directory below its repository's root: a kustomization there may list bases
      // beside it, so it is built over the repository (files named as given).
      const only = paths.length <= 1 ? path.resolve(ctx.cwd, paths[0] ?? '.') : undefined;
      const isDir = only !== undefined && (await stat(only)).isDirectory();
      const root = only !== undefined && isDir ? repositoryRoot(only) : undefined;
      const rel = only && root ? path.relative(root, only).split(path.sep).join('/') : '';
      const own = rel !== '' && only ? await readDirectory(only) : [];
      const repository =
        root && rel !== ''
          ? await repositoryViewFor(own, rel, () => readDirectory(root))
          : undefined;
      const prefix = (paths[0] ?? '.').split(path.sep).join('/');
      const result = repository
        ? renamed(
            await decryptAndValidate(
              own,
              { ...validatePolicy(config, opts.strict === true), repository },
              keyring,
            ),
            prefix,
          )
        : await decryptAndValidate(files, validatePolicy(config, opts.strict === true), keyring);
      ctx.stdout.write(opts.output === 'json' ? formatJson(result) : formatText(result));
      ctx.exitCode = result.valid ? EXIT.ok : EXIT.failure;
    });
}

/** Problems named as `berth validate DIR` names files: under DIR as given. */
function renamed(result: ValidationResult, prefix: string): ValidationResult {
  const name = (file: string) => path.posix.normalize(path.posix.join(prefix, file));
  return { ...result, problems: result.problems.map((p) => ({ ...p, file: name(p.file) })) };
}
