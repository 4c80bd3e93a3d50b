import { LocalBackend } from './local-backend.js';
import { RemoteBackend } from './remote-backend.js';
import { GitSourceWatcher, type SourceWatcher } from './source-watcher.js';
import { compileWatcherOptions, type SourceWatcherOptions } from './watcher-options.js';

/**
 * The watcher of one source: a local path is read in place and watched with chokidar (plus a
 * safety re-read every `localRecheckMs`); an http(s) URL is fetched every `intervalMs` into
 * `<stateDir>/sources/<name>.git`. Call `start()` to begin.
 */
export function createSourceWatcher(options: SourceWatcherOptions): SourceWatcher {
  const compiled = compileWatcherOptions(options);
  const { source } = compiled;
  if (source.remote) {
    return new GitSourceWatcher(
      compiled,
      new RemoteBackend(source, compiled.stateDir, compiled.env, compiled.fetchTimeoutMs),
      source.intervalMs,
    );
  }
  let watcher: GitSourceWatcher | undefined;
  const backend = new LocalBackend({
    name: source.name,
    repo: source.repo,
    debounceMs: compiled.debounceMs,
    logger: compiled.logger,
    onChange: () => void watcher?.refresh('watch'),
  });
  watcher = new GitSourceWatcher(compiled, backend, compiled.localRecheckMs);
  return watcher;
}
