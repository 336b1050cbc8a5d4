// A config naming a rule package that is not installed (surfaces.test.ts checks the error).
export default { rules: ['@acme/not-installed'] };
