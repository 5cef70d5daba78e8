#!/usr/bin/env node
'use strict';
// Runs the built CLI when there is one (npm run build), otherwise the TypeScript sources
// through ts-node (transpile only: type checking is `npm run typecheck`'s job, not startup's).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'dist', 'src', 'cli', 'main.js');
let cli;
if (fs.existsSync(built)) {
  cli = require(built);
} else {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  cli = require(path.join(root, 'src', 'cli', 'main.ts'));
}

cli.run(process.argv).then((code) => {
  // exit once stdout is flushed: a lingering socket or timer must not keep the CLI alive
  process.stdout.write('', () => process.exit(code));
});
