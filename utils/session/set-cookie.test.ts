import { describe, expect, it } from 'vitest';
import { parseSetCookie } from './set-cookie';

describe('parseSetCookie', () => {
  it('reads name, value, scope and flags', () => {
    expect(parseSetCookie('_subid=51ts6sgr1cbkdhljnrv; Domain=tracker.example; Path=/; HttpOnly', 0)).toEqual(
      {
        name: '_subid',
        value: '51ts6sgr1cbkdhljnrv',
        domain: 'tracker.example',
        path: '/',
        expires: null,
        httpOnly: true,
      },
    );
  });
  it('prefers Max-Age over Expires (RFC 6265 §5.3)', () => {
    const c = parseSetCookie('a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=2678400', 1_000_000);
    expect(c?.expires).toBe(1000 + 2678400);
  });
  it('rejects a line without a name', () => {
    expect(parseSetCookie('=x')).toBeNull();
    expect(parseSetCookie('')).toBeNull();
  });
});
