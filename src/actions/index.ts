// Actions on sources that both the CLI and the API offer (suspend, resume).
export { type SuspensionChange, setSuspended } from './source-suspension.js';
