import preset from '../jest.preset.js';

export default {
  ...preset,
  displayName: 'e2e',
  // node's, plus a description of the open browser pages when a test fails
  testEnvironment: '<rootDir>/support/diagnosing-environment.js',
  rootDir: '.',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts', '<rootDir>/browser/**/*.browser-spec.ts'],
  globalSetup: '<rootDir>/support/global-setup.js',
  globalTeardown: '<rootDir>/support/global-teardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
};
