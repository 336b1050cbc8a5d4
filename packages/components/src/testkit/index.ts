export * from './engine.js';
export * from './mocks.js';
