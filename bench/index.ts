import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { EXTENSION_DIR } from '../tests/e2e/harness';
import { benchExtension } from './extension';
import { benchPanel } from './panel';
import { benchRecognize } from './recognize';

/** `npm run bench`: every budget of the issues, measured side by side in one run. Prints; never fails. */

function print(title: string, figures: Record<string, string | number>) {
  console.log(`\n## ${title}`);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(width)}  ${v}`);
}

async function main() {
  print('Recognition (pure core)', await benchRecognize());
  // Always measure what the sources build to now, not a stale .output.
  const build = spawnSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
  if (build.status !== 0 || !existsSync(`${EXTENSION_DIR}/manifest.json`))
    throw new Error('wxt build failed');
  for (const [title, run] of [
    ['Extension in Chromium', benchExtension],
    ['Panel open-to-rendered', benchPanel],
  ] as const) {
    try {
      print(title, await run());
    } catch (e) {
      console.log(`\n${title}: skipped (${e instanceof Error ? e.message : e})`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 0;
});
