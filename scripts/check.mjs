#!/usr/bin/env node
// `npm test`: everything CI runs, in order, stopping at the first failure. Ends with one line
// `N passed, N failed` (each check step counts as one; test files count their tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (name) => join('node_modules', '.bin', name);
const tmp = mkdtempSync(join(tmpdir(), 'postback-lens-check-'));
let passed = 0;
let failed = 0;

function run(label, cmd, args, opts = {}) {
  console.log(`\n▶ ${label}: ${[cmd, ...args].join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
  });
  const ok = res.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function step(label, cmd, args) {
  if (run(label, cmd, args)) passed++;
  else {
    failed++;
    finish();
  }
}

/** A Vitest run: its own counts come from the JSON reporter (the CI reads only the closing line). */
function tests(label, args) {
  const out = join(tmp, `${label}.json`);
  const ok = run(label, bin('vitest'), [
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    // A file that fails to load has no tests but must still fail the run.
    if (!ok && report.numFailedTests === 0) failed++;
  } else if (!ok) failed++;
  if (!ok) finish();
}

function finish() {
  rmSync(tmp, { recursive: true, force: true });
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

step('typecheck', bin('tsc'), ['--noEmit']);
step('lint', bin('biome'), ['check', '.']);
tests('unit', []);
step('build chrome-mv3', bin('wxt'), ['build']);
step('build firefox', bin('wxt'), ['build', '-b', 'firefox']);
step('web-ext lint', bin('web-ext'), ['lint', '--source-dir', '.output/firefox-mv2', '--no-input']);
tests('e2e', ['--config', 'vitest.e2e.config.ts']);
finish();
