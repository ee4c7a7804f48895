/**
 * The replay corpus: the payment histories each release recorded, one folder per release
 * (test/histories/<package version>/). Every release must replay every earlier release's histories,
 * because payments stay open for months; so a recording adds to the current release's folder and
 * never overwrites a file — a history that no longer replays is a nondeterminism bug to fix with
 * `patched()`, not a file to re-record.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

export const HISTORIES_ROOT = join(__dirname, '..', 'histories');
const RELEASE = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface RecordedHistory {
  release: string;
  name: string;
  path: string;
}

/** Every recorded history of every release, oldest release first. */
export function recordedHistories(): RecordedHistory[] {
  return readdirSync(HISTORIES_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .flatMap((release) => readdirSync(join(HISTORIES_ROOT, release))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ release, name: file.replace(/\.json$/, ''), path: join(HISTORIES_ROOT, release, file) })));
}

/** Saves a history under the current release; refuses to overwrite one already recorded. */
export function recordHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  const folder = join(HISTORIES_ROOT, RELEASE);
  const path = join(folder, `${name}.json`);
  if (existsSync(path)) throw new Error(`${path} is already recorded for release ${RELEASE}; histories are added, never re-recorded`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path, `${historyToJSON(history)}\n`);
}
