import { describe, expect, it } from 'vitest';
import { makeBigSession } from '../../components/fixtures/sessions';
import { createPreview, PREVIEW_REQUESTS, parsePreview } from './preview';
import { buildTrails } from './trail';

describe('session preview', () => {
  it('keeps the newest requests and the trails of the whole session, whatever its size', () => {
    const big = makeBigSession(5_000);
    const preview = createPreview(big);
    expect(preview.total).toBe(5_000);
    expect(preview.session.requests).toHaveLength(PREVIEW_REQUESTS);
    expect(preview.session.requests.at(-1)?.id).toBe(big.requests.at(-1)?.id);
    expect(preview.trails).toEqual(buildTrails(big));
    expect(parsePreview(JSON.parse(JSON.stringify(preview)))).toEqual(preview);
    expect(JSON.stringify(preview).length).toBeLessThan(JSON.stringify(big).length / 10);
  });

  it('reads anything else as no preview', () => {
    expect(parsePreview({ session: {}, total: 1 })).toBeNull();
    expect(parsePreview(null)).toBeNull();
  });
});
