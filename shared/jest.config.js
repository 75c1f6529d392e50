import preset from '../jest.preset.js';
export default { ...preset, displayName: 'shared', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] };
