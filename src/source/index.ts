export type { SourceFile } from './source-file.js';
