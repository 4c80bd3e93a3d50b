import fs from 'node:fs';

/** The file-system client isomorphic-git reads and writes git objects through. */
export const gitFs = fs;
