/** Jest on ESM: ts-jest compiles the same sources the bundle is built from. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.all.json' }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  // Jest's default on a 2-core machine is one worker; the e2e files mostly wait (moto, poll intervals,
  // node start-up of the bundle), so two overlap well: npm test 4m20 → 3m15 on the 2-core dev machine.
  maxWorkers: 2,
};
