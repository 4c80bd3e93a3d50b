#!/usr/bin/env node
// Bundles what every `berth` command loads before it parses its command line (dist/cli/main.js,
// the command registrations, commander and their small helpers) into one module,
// dist/cli/main.bundle.js, which bin/berth.js runs. Node 20 reads, parses and links each ES
// module apart: one file instead of about 40 is most of `berth --help`'s time above `node -e 0`
// (docs/cli.md, "How a command starts"). Run by `npm run build` after tsc; not committed.
//
// What stays out of the bundle, as ordinary imports of the files tsc wrote:
//   - every dynamic import(): a command's own code still loads only when that command runs;
//   - the modules in SHARED: they define error classes that lazily loaded code throws and
//     main.ts tells apart with instanceof (exit code 2 for a ConfigError). A bundled copy would
//     be another class. A bundled module of dist/ that declares a class fails the build, so a
//     new one cannot be copied unnoticed: add it to SHARED.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const cliDir = path.join(dist, 'cli');
const SHARED = new Set(['config/config-error.js', 'util/berth-error.js']);

/** The import specifier, relative to dist/cli/, of a file under dist/. */
function fromCli(file) {
  const rel = path.relative(cliDir, file).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const classes = [];
const result = await build({
  entryPoints: [path.join(cliDir, 'main.js')],
  outfile: path.join(cliDir, 'main.bundle.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
  // commander is CommonJS: its require() of node: modules needs a real require in an ES module.
  banner: {
    js: "import { createRequire as berthCreateRequire } from 'node:module';\nconst require = berthCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'berth-lazy-and-shared',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) => {
          const relative = /^\.\.?\//.test(args.path);
          const file = relative ? path.resolve(args.resolveDir, args.path) : undefined;
          if (args.kind === 'dynamic-import')
            return { path: file ? fromCli(file) : args.path, external: true };
          if (file && SHARED.has(path.relative(dist, file)))
            return { path: fromCli(file), external: true };
          return undefined;
        });
        b.onLoad({ filter: /\.js$/ }, async (args) => {
          if (!args.path.startsWith(dist)) return undefined;
          const contents = await readFile(args.path, 'utf8');
          if (/^\s*(export\s+)?(default\s+)?class\s/m.test(contents))
            classes.push(path.relative(dist, args.path));
          return { contents, loader: 'js' };
        });
      },
    },
  ],
});
if (classes.length > 0) {
  console.error(
    `bundle-cli: these modules declare a class and would be copied into the bundle: ${classes.join(', ')}.\n` +
      'Add them to SHARED in scripts/bundle-cli.mjs (or load them lazily).',
  );
  process.exit(1);
}
const inputs = Object.keys(result.metafile.inputs).length;
const out = result.metafile.outputs[path.relative(root, path.join(cliDir, 'main.bundle.js'))];
console.log(
  `wrote dist/cli/main.bundle.js (${inputs} modules, ${Math.round((out?.bytes ?? 0) / 1024)} KiB)`,
);
