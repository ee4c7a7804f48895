/**
 * The README's provider variables table is the plugin list's, rendered (src/provider-table.ts): a
 * provider added, a variable renamed or moved to another process without the README following
 * fails here, with the table to paste.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultPlugins } from '../../src/providers';
import { providerVariablesTable } from '../../src/provider-table';

const START = '<!-- provider-variables:start (generated from src/providers.ts; test/unit/readme-providers.test.ts) -->';
const END = '<!-- provider-variables:end -->';

describe('README', () => {
  it('lists every provider variable exactly as the plugins declare them', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    assert.ok(start >= 0 && end > start, `README.md needs the markers ${START} … ${END}`);
    const table = readme.slice(start + START.length, end).trim();
    assert.equal(table, providerVariablesTable(defaultPlugins), `README.md's provider table is stale; between the markers put:\n${providerVariablesTable(defaultPlugins)}`);
  });
});
