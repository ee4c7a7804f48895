// Runs before `npm start` and `npm test` (npm's pre-scripts) so that a fresh clone needs no manual
// `npm install`: installs the locked versions when node_modules is missing or was installed from
// another lockfile. Plain CommonJS with no dependencies: it runs before any exist.
// `npm install --no-save`, not `npm ci`: a registry may lack some other platforms' optional binaries
// (e.g. @swc/core for macOS), and then `npm ci` refuses the lockfile. `--no-save` installs what the
// lockfile pins without ever rewriting it, so a fresh clone stays clean after `npm start`/`npm test`.
const { createHash } = require('node:crypto');
const { execSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const stamp = join(root, 'node_modules', '.installed-lockfile-sha256');
const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('Installing npm dependencies from package-lock.json...');
  execSync('npm install --no-save --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, lockHash);
}

// The browser tests' Chromium: a Debian package, not an npm one, so only `npm test` asks for it.
if (process.env.npm_lifecycle_event === 'pretest') require('./ensure-chromium.cjs');
