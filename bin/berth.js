#!/usr/bin/env node
// Entry point of the `berth` command: runs the compiled CLI (built by `npm install` /
// `npm run build`): main.bundle.js is dist/cli/main.js with what every command loads before it
// parses its command line in one module (scripts/bundle-cli.mjs).
import { main } from '../dist/cli/main.bundle.js';

process.exitCode = await main(process.argv);
