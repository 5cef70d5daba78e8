/** @type {import('jest').Config} */
// ts-jest transpiles each file alone (isolatedModules in tsconfig.json, diagnostics off); `npm run typecheck` does the type checking once,
// instead of once per test file, which keeps the suite within its time budget on 2 cores.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 60000,
  maxWorkers: 2,
};
