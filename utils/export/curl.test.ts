import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printfFormat, shellQuote, toCurl } from './curl';

/** What bash makes of one word: the bytes of its single argument. */
function bashArg(word: string): Buffer {
  return execFileSync('bash', ['-c', `printf '%s' ${word}`]);
}

describe('shellQuote', () => {
  const cases = [
    '',
    'plain',
    "it's",
    "''''",
    'a b\tc',
    'line1\nline2\r\n',
    '$HOME `id` $(id) !! \\ " *?[a]{b}',
    'success=false; err_msg=Invalid Trans. ID #test1.;',
    '<img src=x onerror=alert(1)>',
    'кириллица ✓ 😀',
    '\u0001\u001b[31m\u007f',
    "\\'",
  ];
  for (const s of cases) {
    it(`round-trips ${JSON.stringify(s)} through bash`, () => {
      expect(bashArg(shellQuote(s)).toString('utf8')).toBe(s);
    });
  }

  it('round-trips any string without NUL (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000') && s.isWellFormed()),
        (s) => bashArg(shellQuote(s)).toString('utf8') === s,
      ),
      { numRuns: 60 },
    );
  });
});

describe('printfFormat', () => {
  it('writes exact bytes, NUL included', () => {
    const s = "a\u0000b%d\\n'c\u00ff";
    const out = execFileSync('bash', ['-c', `printf ${printfFormat(s)}`]);
    expect(out.equals(Buffer.from(s, 'utf8'))).toBe(true);
  });
});

describe('toCurl', () => {
  it('a GET postback', () => {
    expect(
      toCurl({ method: 'GET', url: 'https://tracker.example/e89bcbe/postback?subid=abc&status=lead' }),
    ).toBe("curl 'https://tracker.example/e89bcbe/postback?subid=abc&status=lead'");
  });

  it('turns globbing off for a macro', () => {
    expect(toCurl({ method: 'GET', url: 'https://lp.example/?subid={subid}' })).toBe(
      "curl --globoff 'https://lp.example/?subid={subid}'",
    );
  });

  it('a POST with a form body', () => {
    expect(
      toCurl({ method: 'POST', url: 'https://tracker.example/k/postback', body: "subid=a'b&status=sale" }),
    ).toBe(
      "curl -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'subid=a'\\''b&status=sale' 'https://tracker.example/k/postback'",
    );
  });

  it('a body with NUL goes through printf and stdin', () => {
    const cmd = toCurl({ method: 'POST', url: 'https://x.example/', body: 'a\u0000b' });
    expect(cmd.startsWith("printf 'a\\000b' | curl ")).toBe(true);
    expect(cmd).toContain('--data-binary @-');
  });

  it('keeps an explicit content type and other methods', () => {
    const cmd = toCurl({
      method: 'PUT',
      url: 'https://x.example/',
      body: '{"a":1}',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
    });
    expect(cmd).toBe(
      `curl -X 'PUT' -H 'Content-Type: application/json' --data-binary '{"a":1}' 'https://x.example/'`,
    );
  });

  it('the command parses in bash to the same argv', () => {
    const url = "https://t.example/k/postback?subid=x'y&return=$(id)";
    const cmd = toCurl({ method: 'POST', url, body: 'a=1\nb=2' });
    // Replace curl by a function printing its args NUL-separated.
    const out = execFileSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }; ${cmd}`]).toString('utf8');
    expect(out.split('\u0000').slice(0, -1)).toEqual([
      '-H',
      'Content-Type: application/x-www-form-urlencoded',
      '--data-binary',
      'a=1\nb=2',
      url,
    ]);
  });
});
