#!/usr/bin/env node
// Runs a built service: maps the @latchkey/* aliases to the compiled libs inside the app's dist folder,
// then loads its main. Usage: node tools/run-service.js <app-name>  (after `nx run <app>:build`)
const path = require('node:path');
const fs = require('node:fs');
const app = process.argv[2];
if (!app) {
  console.error('usage: run-service.js <app-name>');
  process.exit(2);
}
const root = path.resolve(__dirname, '..', 'dist', 'apps', app);
const main = path.join(root, 'apps', app, 'src', 'main.js');
if (!fs.existsSync(main)) {
  console.error(`run-service.js: ${main} not found; build first (npx nx run ${app}:build)`);
  process.exit(2);
}
require('tsconfig-paths').register({ baseUrl: root, paths: { '@latchkey/*': ['libs/*/src/index.js'] } });
require(main);
