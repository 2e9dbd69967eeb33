import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnalyzeLineSchema, analyzeLine, ECHO_LIMIT, formatLine, MAX_LINE, parseArgs } from './analyze';

const SEED_POSTBACK =
  'http://tracker.example/d4409bf/postback?cost=1&status=registratered&sub_id_1=game1&subid=1dad2cg1br22spja1';

describe('analyzeLine', () => {
  it('recognises and diagnoses a URL', () => {
    const r = analyzeLine(SEED_POSTBACK);
    expect(AnalyzeLineSchema.safeParse(r).success).toBe(true);
    expect(r).toMatchObject({
      ok: true,
      input: SEED_POSTBACK,
      recognition: { system: 'keitaro', kind: 'postback' },
    });
    if (r.ok) expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-status']);
  });

  it('gives recognition null for ordinary URLs, and trims CR/LF and spaces', () => {
    expect(analyzeLine('  https://www.google.com/search?q=x\r')).toEqual({
      input: 'https://www.google.com/search?q=x',
      ok: true,
      recognition: null,
      diagnostics: [],
    });
  });

  it('refuses empty lines, non-URLs and lines over 1 MB, echoing a truncated input', () => {
    expect(analyzeLine('   ')).toMatchObject({ ok: false, error: { code: 'empty-line' } });
    expect(analyzeLine('subid=abc')).toMatchObject({
      ok: false,
      input: 'subid=abc',
      error: { code: 'not-a-url' },
    });
    const huge = `https://t.example/?subid=${'a'.repeat(MAX_LINE)}`;
    const r = analyzeLine(huge);
    expect(r).toMatchObject({ ok: false, error: { code: 'too-long' } });
    expect(r.input.length).toBe(ECHO_LIMIT + 1);
    expect(AnalyzeLineSchema.safeParse(r).success).toBe(true);
  });

  it('prints valid JSON lines, keeping __proto__ params that the schema would strip', () => {
    const line = formatLine(analyzeLine('https://lp.example/?subid=abc&__proto__=x'));
    const parsed = JSON.parse(line);
    expect(AnalyzeLineSchema.safeParse(parsed).success).toBe(true);
    expect(parsed.recognition.unknownParams).toEqual([{ name: '__proto__', value: 'x' }]);
  });
});

describe('parseArgs', () => {
  it('reads help, unknown flags, and URLs after --', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h', 'x'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--json'])).toEqual({ kind: 'bad-flag', flag: '--json' });
    expect(parseArgs(['https://a.example/', '--', '--not-a-flag'])).toEqual({
      kind: 'run',
      urls: ['https://a.example/', '--not-a-flag'],
    });
    expect(parseArgs([])).toEqual({ kind: 'run', urls: [] });
  });
});

describe('the script', () => {
  const script = fileURLToPath(new URL('./analyze.ts', import.meta.url));
  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      input,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('reads stdin line by line; bad lines do not stop the rest; exit 0', () => {
    const input = [
      SEED_POSTBACK,
      '',
      'not a url',
      `https://t.example/?x=${'b'.repeat(MAX_LINE + 10)}`,
      'https://example.com/?subid=abc',
    ].join('\n');
    const res = run([], `${input}\n`);
    expect(res.status).toBe(0);
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => (l.ok ? (l.recognition?.kind ?? null) : l.error.code))).toEqual([
      'postback',
      'empty-line',
      'not-a-url',
      'too-long',
      'landing',
    ]);
    for (const l of lines) expect(AnalyzeLineSchema.safeParse(l).success).toBe(true);
    expect(lines[3].input.length).toBe(ECHO_LIMIT + 1);
  });

  it('takes URLs from arguments; --help exits 0; an unknown flag exits 2', () => {
    const ok = run(['--', 'https://media.go2speed.org/aff_i?offer_id=1048&aff_id=1006']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).diagnostics[0].code).toBe('impression-not-conversion');
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage');
    const bad = run(['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Unknown option: --bogus');
  });
});
