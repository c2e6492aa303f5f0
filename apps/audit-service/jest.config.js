module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'audit-service',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
