// `berth` from the TypeScript sources, for tests that need Berth in a process of its own
// (kill -9, several workers): the same entry as bin/berth.js without a build.
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv);
