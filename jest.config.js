// Two suites: unit (pure logic, no engine) and e2e (a real Docker engine, real dind nodes).
// ts-jest runs in ESM mode because execa, chalk and yargs are ESM-only; type checking is done
// once by `tsc --noEmit` in scripts/test.sh, so ts-jest only transpiles (isolatedModules).
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
