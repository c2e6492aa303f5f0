module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'policy-engine',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
