module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'validation-service',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
