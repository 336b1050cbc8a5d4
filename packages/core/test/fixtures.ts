// The compliant fixtures live in the public rule test kit (`@bulkhead/core/testing`).
export { compliantContainer, compliantNetwork } from '../src/testing/baseline.js';
