/**
 * The replay corpus: the payment histories each release recorded, one folder per release
 * (test/histories/<package version>/). Every release must replay every earlier release's histories,
 * because payments stay open for months; so a recording adds to the current release's folder and
 * never overwrites a file — a history that no longer replays is a nondeterminism bug to fix with
 * `patched()`, not a file to re-record.
 *
 * Each release folder has a `SHA256SUMS` (the `sha256sum` format) that the recorder appends to and
 * the replay test checks: a history changed, deleted or re-recorded after the fact fails the suite
 * unless someone edits that file too, which a review sees.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';

export const HISTORIES_ROOT = join(__dirname, '..', 'histories');
/** The package version: the release whose folder a recording adds to. */
export const RELEASE = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface RecordedHistory {
  release: string;
  name: string;
  path: string;
}

/** Every recorded history of every release, oldest release first. */
export function recordedHistories(): RecordedHistory[] {
  return releases()
    .flatMap((release) => readdirSync(join(HISTORIES_ROOT, release))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ release, name: file.replace(/\.json$/, ''), path: join(HISTORIES_ROOT, release, file) })));
}

/** Saves a history under the current release; refuses one already recorded (even if its file was deleted). */
export function recordHistory(name: string, history: temporal.api.history.v1.IHistory): void {
  const folder = join(HISTORIES_ROOT, RELEASE);
  const file = `${name}.json`;
  const path = join(folder, file);
  if (existsSync(path) || checksums(folder).has(file)) throw new Error(`${path} is already recorded for release ${RELEASE}; histories are added, never re-recorded`);
  mkdirSync(folder, { recursive: true });
  const text = `${historyToJSON(history)}\n`;
  writeFileSync(path, text);
  appendFileSync(join(folder, CHECKSUMS), `${sha256(text)}  ${file}\n`);
}

/** What differs between each release's histories and its `SHA256SUMS`; empty when the corpus is as recorded. */
export function corpusTampering(): string[] {
  return releases().flatMap((release) => {
    const folder = join(HISTORIES_ROOT, release);
    const listed = checksums(folder);
    if (listed.size === 0) return [`${release}: no ${CHECKSUMS}`];
    const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
    return [
      ...files.filter((file) => !listed.has(file)).map((file) => `${release}/${file}: not in ${CHECKSUMS} (added after the fact?)`),
      ...[...listed].flatMap(([file, sum]) => {
        if (!files.includes(file)) return [`${release}/${file}: listed in ${CHECKSUMS} but deleted`];
        return sha256(readFileSync(join(folder, file), 'utf8')) === sum ? [] : [`${release}/${file}: changed since it was recorded`];
      }),
    ];
  });
}

const CHECKSUMS = 'SHA256SUMS';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function releases(): string[] {
  return readdirSync(HISTORIES_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** A folder's `SHA256SUMS` as file → hash (empty when there is none). */
function checksums(folder: string): Map<string, string> {
  const path = join(folder, CHECKSUMS);
  if (!existsSync(path)) return new Map();
  return new Map(readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => {
    const [sum, file] = line.split(/\s+\*?/, 2) as [string, string];
    return [file, sum];
  }));
}
