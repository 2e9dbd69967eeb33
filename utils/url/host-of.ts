/** The host (with port) or hostname of a URL, or '' for anything that does not parse. Never throws. */
export function hostOf(url: string, part: 'host' | 'hostname' = 'host'): string {
  try {
    return new URL(url)[part];
  } catch {
    return '';
  }
}
