// Every project's unit tests (*.spec.ts) in one run; integration and e2e specs are in jest.int.config.js.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
};
