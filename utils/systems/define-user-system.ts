import { z } from 'zod/mini';
import { KindSchema } from '../recognize/schema';
import { defineSystem } from './define-system';
import type { PathMatch, SystemDefinition } from './schema';

/**
 * A system from the few things a user types in settings: a name, a path pattern, the click-id
 * param and optionally the status and payout params. It becomes an ordinary definition, so
 * the recogniser treats it like a built-in one.
 */
export const UserSystemInputSchema = z.object({
  id: z
    .string()
    .check(z.minLength(1), z.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, `-` and `_`')),
  name: z.string().check(z.minLength(1)),
  /**
   * A literal path such as `/postback`; `*` stands for one path segment and `**` for any
   * number of them (so a key segment before `/conv` is written star, slash, conv). Empty
   * means any path: then the click-id param alone decides.
   */
  pathPattern: z
    .string()
    .check(z.refine((p) => p === '' || p.startsWith('/'), 'starts with "/" (or is empty for any path)')),
  clickIdParam: z.string().check(z.minLength(1)),
  statusParam: z.optional(z.string().check(z.minLength(1))),
  payoutParam: z.optional(z.string().check(z.minLength(1))),
  kind: z.optional(KindSchema),
});
export type UserSystemInput = z.infer<typeof UserSystemInputSchema>;

function pathFor(pattern: string): PathMatch {
  if (pattern === '' || pattern === '/**') return { type: 'any' };
  if (!pattern.includes('*')) return { type: 'exact', path: pattern };
  const literal = pattern.split(/\*+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return { type: 'regex', pattern: `^${source}/?$`, ...(literal.length > 1 ? { marker: literal } : {}) };
}

/** Validates the input and returns a full definition (throws a ZodError on bad input). */
export function defineUserSystem(input: UserSystemInput): SystemDefinition {
  const u = UserSystemInputSchema.parse(input);
  const path = pathFor(u.pathPattern);
  return defineSystem({
    id: u.id,
    name: u.name,
    docs: [],
    shapes: [
      {
        kind: u.kind ?? 'postback',
        label: `${u.name} ${u.pathPattern || 'any path'}`,
        path,
        required: [u.clickIdParam],
      },
    ],
    clickIds: [{ param: u.clickIdParam, role: 'click' }],
    fields: [
      ...(u.statusParam !== undefined ? [{ field: 'status', params: [u.statusParam] }] : []),
      ...(u.payoutParam !== undefined ? [{ field: 'payout', params: [u.payoutParam] }] : []),
    ],
    knownParams: [],
    ...(u.statusParam !== undefined ? { status: { field: 'status' } } : {}),
    responses: [],
    responseCaveat: `HTTP 200 is not proof: check ${u.name}'s conversion log for this click id.`,
    examples: { match: [], noMatch: [] },
  });
}
