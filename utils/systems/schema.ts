import { z } from 'zod/mini';
import { ClickIdRoleSchema, KindSchema, SeveritySchema } from '../recognize/schema';

/**
 * A system (tracker or network) as plain data: which URL shapes it has, which params carry
 * click ids, how its param names map onto normalised fields, and what its reply bodies mean.
 * Built-in systems (utils/systems/*.ts) and user-defined ones share this shape, so the
 * recogniser has no per-system code paths. Detection is by path and params only, never by
 * domain: both Keitaro and HasOffers run on custom domains [T1][G13].
 */

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const RegexSourceSchema = z
  .string()
  .check(z.refine(isValidRegex, { message: 'not a valid regular expression' }));

/** How a URL path is matched. Paths are compared as written (not percent-decoded). */
export const PathMatchSchema = z.discriminatedUnion('type', [
  /** Any path: the shape is decided by params alone (Keitaro landing `?subid=`). */
  z.object({ type: z.literal('any') }),
  /** The whole path, e.g. `/postback`. One trailing slash is tolerated. */
  z.object({
    type: z.literal('exact'),
    path: z.string().check(z.startsWith('/')),
    ignoreCase: z.optional(z.boolean()),
  }),
  /** The last path segment, e.g. `aff_lsr` or `p.ashx`. */
  z.object({
    type: z.literal('lastSegment'),
    segment: z.string().check(z.minLength(1)),
    ignoreCase: z.optional(z.boolean()),
  }),
  /**
   * A regular expression over the path. Named groups become fields (`(?<key>[^/]+)`).
   * `marker` is a literal that every matching path contains; the pre-filter needs it to
   * skip ordinary traffic cheaply. Without it (and without required params) every URL has
   * to be parsed for this shape.
   */
  z.object({
    type: z.literal('regex'),
    pattern: RegexSourceSchema,
    ignoreCase: z.optional(z.boolean()),
    marker: z.optional(z.string().check(z.minLength(1))),
  }),
]);
export type PathMatch = z.infer<typeof PathMatchSchema>;

/** A condition on one param's decoded value, e.g. HasOffers `aff_goal` with `a=lsr`. */
export const ValueConditionSchema = z.object({
  param: z.string().check(z.minLength(1)),
  /** The value must be one of these (exact, or case-insensitive with `ignoreCase`). */
  oneOf: z.optional(z.array(z.string())),
  /** The value must match this regular expression. */
  pattern: z.optional(RegexSourceSchema),
  ignoreCase: z.optional(z.boolean()),
  /** Invert the condition (the param must be absent or not match). */
  negate: z.optional(z.boolean()),
});
export type ValueCondition = z.infer<typeof ValueConditionSchema>;

/** A finding a shape always carries, e.g. the keyless Keitaro postback [L1]. */
export const ShapeNoteSchema = z.object({
  code: z.string().check(z.minLength(1)),
  severity: SeveritySchema,
  message: z.string().check(z.minLength(1)),
  fix: z.string(),
});
export type ShapeNote = z.infer<typeof ShapeNoteSchema>;

export const UrlShapeSchema = z.object({
  kind: KindSchema,
  /** Short human label, e.g. `postback (keyed)`. */
  label: z.string().check(z.minLength(1)),
  path: PathMatchSchema,
  /** Every one of these params must be present (an empty value counts as present). */
  required: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** At least one of these params must be present. */
  anyOf: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** None of these params may be present. */
  forbidden: z.optional(z.array(z.string().check(z.minLength(1)))),
  values: z.optional(z.array(ValueConditionSchema)),
  /** HTTP methods this shape applies to (upper case); any method when absent. */
  methods: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Params that carry this kind's primary click id, best first. */
  clickId: z.optional(z.array(z.string().check(z.minLength(1)))),
  /**
   * Added to the computed specificity when two systems claim one URL. Only for documented
   * ties; prefer `forbidden`/`values` so that each URL has one owner.
   */
  priority: z.optional(z.number()),
  notes: z.optional(z.array(ShapeNoteSchema)),
});
export type UrlShape = z.infer<typeof UrlShapeSchema>;

export const ClickIdParamSchema = z.object({
  param: z.string().check(z.minLength(1)),
  role: ClickIdRoleSchema,
  /**
   * True when the name is distinctive enough to report on any URL (`subid`, `aff_click_id`).
   * Generic names (`cid`, `tid`, CAKE's `r`) are click ids only inside this system's shapes:
   * Google Analytics sends `cid=` and `tid=` on every page.
   */
  anywhere: z.optional(z.boolean()),
  /** Only a click id in these kinds (Keitaro's `aff_sub` alias means its subid only inside a postback [L2]). */
  kinds: z.optional(z.array(KindSchema)),
});
export type ClickIdParam = z.infer<typeof ClickIdParamSchema>;

/**
 * A normalised field and the param names that feed it, best first (the best one present
 * wins). A field may have several entries; later entries rank after earlier ones, and
 * `kinds` limits an entry to some kinds (Keitaro reads `revenue` as payout in a postback,
 * not on a landing).
 */
export const FieldAliasSchema = z.object({
  field: z.string().check(z.minLength(1)),
  params: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  kinds: z.optional(z.array(KindSchema)),
});
export type FieldAlias = z.infer<typeof FieldAliasSchema>;

/** A reply body pattern and what it means. Named groups become `details`. */
export const ResponseRuleSchema = z.object({
  pattern: RegexSourceSchema,
  flags: z.optional(z.string().check(z.regex(/^[imsu]*$/))),
  verdict: z.enum(['accepted', 'rejected', 'unknown']),
  message: z.string().check(z.minLength(1)),
});
export type ResponseRule = z.infer<typeof ResponseRuleSchema>;

/** A status value the system documents, with what it means (Affise `1` = approved). */
export const StatusValueSchema = z.object({ value: z.string(), meaning: z.string() });

export const DocLinkSchema = z.object({
  /** Source tag of the reference file, e.g. `K2`. */
  tag: z.optional(z.string()),
  title: z.string().check(z.minLength(1)),
  url: z.url(),
});

export const ExampleMatchSchema = z.object({
  url: z.string().check(z.minLength(1)),
  kind: KindSchema,
  /** Expected primary click id value; null when the kind has none or it is a macro. */
  clickId: z.optional(z.nullable(z.string())),
  method: z.optional(z.string()),
  body: z.optional(z.string()),
});

/** A hook for what a table cannot say. Returning false rejects the match. */
export type RefineHook = (match: {
  kind: z.infer<typeof KindSchema>;
  path: string;
  params: ReadonlyArray<{ name: string; value: string }>;
}) => { kind?: z.infer<typeof KindSchema> } | false | undefined;

export const SystemDefinitionSchema = z.object({
  id: z
    .string()
    .check(z.minLength(1), z.regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, `-` and `_`')),
  name: z.string().check(z.minLength(1)),
  docs: z.array(DocLinkSchema),
  /** Tried in order; the first shape that matches decides the kind. */
  shapes: z.array(UrlShapeSchema).check(z.minLength(1)),
  clickIds: z.array(ClickIdParamSchema),
  fields: z.array(FieldAliasSchema),
  /** Params known under their own name (kept in `fields` as they are, not unknown). */
  knownParams: z.array(z.string().check(z.minLength(1))),
  /** Which field holds the conversion status, and its documented values when it has a fixed set. */
  status: z.optional(
    z.object({ field: z.string().check(z.minLength(1)), values: z.optional(z.array(StatusValueSchema)) }),
  ),
  responses: z.array(ResponseRuleSchema),
  /** Why an accepted reply is not proof, and where to look instead. */
  responseCaveat: z.string().check(z.minLength(1)),
  examples: z.object({ match: z.array(ExampleMatchSchema), noMatch: z.array(z.string()) }),
  refine: z.optional(z.custom<RefineHook>((v) => typeof v === 'function', 'a function')),
});
export type SystemDefinition = z.infer<typeof SystemDefinitionSchema>;
export type SystemDefinitionInput = z.input<typeof SystemDefinitionSchema>;
