import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { z } from 'zod/mini';
import { diagnoseUrl } from '../utils/diagnose/diagnose-url';
import { recognize } from '../utils/recognize/recognize';
import { DiagnosticSchema, RecognitionSchema } from '../utils/recognize/schema';
import { splitUrl } from '../utils/url/split-url';

// The extension ships zod/mini without a locale; this command line prints Zod's English messages.
z.config(z.locales.en());

/**
 * `npm run analyze -- URL…`: what the extension would say about each URL, one JSON object per
 * line (system, kind, click id, fields, diagnostics). Same core as the extension. The output
 * contract is `AnalyzeLineSchema` below, described in docs/analyze.md.
 */

export const ANALYZE_USAGE = `Usage: npm run analyze -- [URL …]

Prints one JSON object per line for each URL: what Postback Lens recognises in it
(system, kind, click id, fields, unknown params, macros) and its diagnostics.
With no URL arguments, reads URLs from standard input, one per line.
Bad input (an empty line, not a URL, a line over 1 MB) gives {"ok":false,…} for that line;
the others go on. Output format: docs/analyze.md.

Options:
  -h, --help   show this help
  --           end of options (everything after it is a URL)
`;

/** Longer lines are refused (and echoed cut short): a URL that long is not a link anyone sent. */
export const MAX_LINE = 1024 * 1024;
/** How much of a refused line is echoed back in `input`. */
export const ECHO_LIMIT = 200;

export const AnalyzeErrorCodeSchema = z.enum(['empty-line', 'not-a-url', 'too-long', 'internal']);

export const AnalyzeOkSchema = z.object({
  /** The URL as given (trimmed). */
  input: z.string(),
  ok: z.literal(true),
  /** What the URL is; null when no system recognises it. */
  recognition: z.nullable(RecognitionSchema),
  /** Findings, possibly empty. */
  diagnostics: z.array(DiagnosticSchema),
});

export const AnalyzeErrorSchema = z.object({
  /** The line as given, cut to ECHO_LIMIT characters (with "…") when longer. */
  input: z.string().check(z.maxLength(ECHO_LIMIT + 1)),
  ok: z.literal(false),
  error: z.object({ code: AnalyzeErrorCodeSchema, message: z.string() }),
});

/** One output line. */
export const AnalyzeLineSchema = z.discriminatedUnion('ok', [AnalyzeOkSchema, AnalyzeErrorSchema]);
export type AnalyzeLine = z.infer<typeof AnalyzeLineSchema>;

function echo(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text;
}

function failure(input: string, code: z.infer<typeof AnalyzeErrorCodeSchema>, message: string): AnalyzeLine {
  return { input: echo(input), ok: false, error: { code, message } };
}

/** Analyses one input line. Pure; never throws. */
export function analyzeLine(line: string): AnalyzeLine {
  if (line.length > MAX_LINE) {
    return failure(line, 'too-long', `The line is ${line.length} characters long; the limit is ${MAX_LINE}.`);
  }
  const input = line.trim();
  if (input === '') return failure(line, 'empty-line', 'The line is empty.');
  if (splitUrl(input) === null) {
    return failure(
      input,
      'not-a-url',
      'Not a URL: expected scheme://host/path?query, e.g. https://tracker.example/KEY/postback?subid=…',
    );
  }
  try {
    return { input, ok: true, recognition: recognize(input), diagnostics: diagnoseUrl(input) };
  } catch (e) {
    return failure(input, 'internal', `Analysis failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The line as printed: checked against the schema first, so a bug shows up as an `internal`
 * error line instead of output that breaks the contract. (The original object is printed:
 * Zod drops `__proto__` keys from records, which are legitimate param names here.)
 */
export function formatLine(result: AnalyzeLine): string {
  const checked = AnalyzeLineSchema.safeParse(result);
  if (!checked.success) {
    return JSON.stringify(
      failure(result.input, 'internal', `Output failed its schema: ${checked.error.message}`),
    );
  }
  return JSON.stringify(result);
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'bad-flag'; flag: string }
  | { kind: 'run'; urls: string[] };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const urls: string[] = [];
  let options = true;
  for (const arg of argv) {
    if (options && arg === '--') {
      options = false;
    } else if (options && (arg === '-h' || arg === '--help')) {
      return { kind: 'help' };
    } else if (options && arg.startsWith('-') && arg !== '-') {
      return { kind: 'bad-flag', flag: arg };
    } else {
      urls.push(arg);
    }
  }
  return { kind: 'run', urls };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.kind === 'help') {
    process.stdout.write(ANALYZE_USAGE);
    return 0;
  }
  if (args.kind === 'bad-flag') {
    process.stderr.write(`Unknown option: ${args.flag}\n\n${ANALYZE_USAGE}`);
    return 2;
  }
  if (args.urls.length > 0) {
    for (const url of args.urls) process.stdout.write(`${formatLine(analyzeLine(url))}\n`);
    return 0;
  }
  if (process.stdin.isTTY)
    process.stderr.write('Reading URLs from standard input, one per line (Ctrl-D to finish).\n');
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!process.stdout.write(`${formatLine(analyzeLine(line))}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
