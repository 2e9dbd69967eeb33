import { describe, expect, it } from 'vitest';
import { acceptedReplay, invalidTransReplay, TRANSACTION_ID } from '../../components/fixtures/sessions';
import { compareReplays, diffLines, diffPairs } from './compare';

describe('compareReplays', () => {
  it('shows the changed transaction id and the different answer', () => {
    const c = compareReplays(invalidTransReplay, acceptedReplay);
    expect(c.params).toEqual([
      { name: 'offer_id', a: '12', b: '12', change: 'same' },
      { name: 'transaction_id', a: 'test1', b: TRANSACTION_ID, change: 'changed' },
    ]);
    expect(c.urlBase.same).toBe(true);
    expect(c.status).toEqual({ a: '200 OK', b: '200 OK', same: true });
    expect(c.verdict).toEqual({ a: 'rejected', b: 'accepted', same: false });
    expect(c.body).toEqual([
      { change: 'removed', text: 'success=false; err_msg=Invalid Trans. ID #test1.;' },
      { change: 'added', text: 'success=true;' },
    ]);
    expect(c.headers.find((h) => h.name === 'server')?.change).toBe('removed');
    expect(c.ms).toEqual({ a: 212.4, b: 187 });
  });

  it('a failed replay compares as failed', () => {
    const failed = {
      ...acceptedReplay,
      id: 'r3',
      response: null,
      error: 'No answer within 15 s',
      meaning: null,
    };
    const c = compareReplays(acceptedReplay, failed);
    expect(c.status.b).toBe('failed: No answer within 15 s');
    expect(c.body.every((l) => l.change !== 'same')).toBe(true);
  });
});

describe('diffPairs / diffLines', () => {
  it('added, removed, repeated names', () => {
    expect(
      diffPairs(
        [
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ],
        [
          { name: 'a', value: '1' },
          { name: 'b', value: '3' },
        ],
      ),
    ).toEqual([
      { name: 'a', a: '1', b: '1', change: 'same' },
      { name: 'a', a: '2', change: 'removed' },
      { name: 'b', b: '3', change: 'added' },
    ]);
  });
  it('keeps common lines', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { change: 'same', text: 'a' },
      { change: 'removed', text: 'b' },
      { change: 'added', text: 'x' },
      { change: 'same', text: 'c' },
    ]);
  });
});
