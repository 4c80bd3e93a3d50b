export { eventObject, Notifier, type NotifierOptions } from './notifier.js';
