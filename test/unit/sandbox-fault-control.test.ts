/** The shared fault registry's test aids: the request log, `hold` and its release, arrival hooks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultRegistry, REQUEST_LOG_LIMIT } from '../../src/sandboxes/shared/faults';

type Kind = 'status_503' | 'hold';

describe('sandbox fault registry', () => {
  it('logs every request it is asked about, naming the fault that struck it', () => {
    const faults = new FaultRegistry<Kind>();
    const { id } = faults.add({ method: 'POST', path_pattern: '^/a$', fault: 'status_503', times: 2 });
    for (const path of ['/a', '/b', '/a', '/a']) faults.take({ method: 'POST', path });
    assert.deepEqual(faults.requests().map((r) => [r.seq, r.path, r.fault]), [[1, '/a', id], [2, '/b', null], [3, '/a', id], [4, '/a', null]]);
    assert.deepEqual(faults.requests(2).map((r) => r.seq), [3, 4]);
    assert.deepEqual(faults.list(), [], 'used up');
  });

  it('keeps the newest REQUEST_LOG_LIMIT requests, whatever the traffic', () => {
    const faults = new FaultRegistry<Kind>();
    const total = 2 * REQUEST_LOG_LIMIT + 500;
    for (let i = 1; i <= total; i++) faults.take({ method: 'GET', path: `/r/${i}` });
    const log = faults.requests();
    assert.equal(log.length, REQUEST_LOG_LIMIT);
    assert.deepEqual([log[0]!.seq, log.at(-1)!.seq], [total - REQUEST_LOG_LIMIT + 1, total]);
    assert.deepEqual(faults.requests(total - 2).map((r) => r.path), [`/r/${total - 1}`, `/r/${total}`]);
  });

  it('holds a request until released, by fault id or all at once; clear releases too', () => {
    const faults = new FaultRegistry<Kind>();
    const fault = faults.add({ fault: 'hold', times: 3 });
    const resumed: string[] = [];
    for (const name of ['one', 'two']) faults.hold(faults.take({ method: 'GET', path: '/x' })!, () => resumed.push(name));
    assert.equal(faults.heldCount(fault.id), 2);
    assert.equal(resumed.length, 0);
    assert.equal(faults.release(fault.id), 2);
    assert.deepEqual(resumed, ['one', 'two']);
    faults.hold(faults.take({ method: 'GET', path: '/x' })!, () => resumed.push('three'));
    faults.clear();
    assert.deepEqual(resumed, ['one', 'two', 'three']);
    assert.equal(faults.heldCount(), 0);
  });

  it('runs an arrival hook once, before the request is matched, and logs it on that request', () => {
    const faults = new FaultRegistry<Kind>();
    const seen: string[] = [];
    const hook = faults.onArrival({ method: 'POST', path_pattern: '/cancel$' }, () => seen.push('paid'));
    for (const path of ['/s/1', '/s/1/cancel', '/s/1/cancel']) {
      faults.arrive({ method: 'POST', path });
      faults.take({ method: 'POST', path });
    }
    assert.deepEqual(seen, ['paid']);
    assert.deepEqual(faults.requests().map((r) => r.hooks), [[], [hook], []]);
    assert.deepEqual(faults.pendingHooks(), []);
  });
});
