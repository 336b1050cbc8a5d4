// The project config `bulkhead validate` finds from this directory: Acme's rule package beside
// Bulkhead's catalog, the same selection as the pack, and flag defaults.
export default {
  rules: ['@bulkhead/example-acme-rules'],
  select: { exclude: ['cpu-limit'] },
  defaults: { failOn: 'medium' },
};
