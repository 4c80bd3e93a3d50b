export { ownRef, type PlanRefOptions, planObjects, planRef } from './plan-ref.js';
