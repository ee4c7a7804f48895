// Runs before `npm start` and `npm test` (npm's pre-scripts) so that a fresh clone needs no manual
// `npm install`: installs exactly the lockfile with `npm ci` when node_modules is missing or was
// installed from another lockfile. Plain CommonJS with no dependencies: it runs before any exist.
const { createHash } = require('node:crypto');
const { execSync } = require('node:child_process');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const stamp = join(root, 'node_modules', '.installed-lockfile-sha256');
const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('Installing npm dependencies from package-lock.json (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, lockHash);
}
