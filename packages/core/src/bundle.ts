// The entry of the bundle (dist/core.js) behind both `@bulkhead/core` and `@bulkhead/core/schemas`.
export * from './index.js';
export * from './schemas.js';
