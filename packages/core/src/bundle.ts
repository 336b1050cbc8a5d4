// The entry of the bundle (dist/core.js) behind `@bulkhead/core`, `@bulkhead/core/schemas` and `@bulkhead/core/testing`.
export * from './index.js';
export * from './schemas.js';
export * from './testing/index.js';
