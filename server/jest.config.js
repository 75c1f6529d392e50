import preset from '../jest.preset.js';
export default { ...preset, displayName: 'server', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] };
