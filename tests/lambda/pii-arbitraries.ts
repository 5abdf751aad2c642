// Records with PII where the transform's semantics say it may be: configured paths in any key case, literal
// dotted keys, arrays at any depth; shared by the no-leak and the idempotence properties.
import fc from "fast-check";

/** A raw PII value: unique enough that it appears in the output only if it leaked. */
export const raw = fc.nat().map((n) => `Raw${n}Pii@leak.example`);
export const RAW = /Raw\d+Pii@leak\.example/g;
/** Replaced by a pseudonym whatever its type. */
export const piiValue: fc.Arbitrary<unknown> = fc.oneof(
  raw,
  fc.array(raw, { minLength: 1, maxLength: 3 }),
  raw.map((value) => ({ nested: [value] })),
);
export const filler = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.jsonValue({ maxDepth: 1 }).filter((value) => !JSON.stringify(value).includes("Pii@")),
  { maxKeys: 3 },
);

export function anyCase(segment: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: segment.length, maxLength: segment.length })
    .map((upper) => [...segment].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join(""));
}

/** Wraps a value in 0-2 levels of arrays, next to elements that are not objects. */
export function inArrays(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(value, fc.nat({ max: 2 }), fc.array(fc.jsonValue({ maxDepth: 0 }), { maxLength: 2 }))
    .map(([inner, depth, others]) => {
      let wrapped = inner;
      for (let i = 0; i < depth; i++) wrapped = [...others, wrapped];
      return wrapped;
    });
}

/**
 * A member that reaches the PII path `segments` in any way the semantics allow: any key case, a literal dotted key
 * for some consecutive segments, objects wrapped in arrays, filler members around.
 */
export function placed(
  segments: readonly string[],
  pii: fc.Arbitrary<unknown> = piiValue,
): fc.Arbitrary<[string, unknown]> {
  return fc.integer({ min: 1, max: segments.length }).chain((taken) => {
    const key = fc.tuple(...segments.slice(0, taken).map(anyCase)).map((parts) => parts.join("."));
    const rest = segments.slice(taken);
    const value: fc.Arbitrary<unknown> =
      rest.length === 0
        ? pii
        : inArrays(
            fc
              .tuple(fc.array(placed(rest, pii), { minLength: 1, maxLength: 2 }), filler)
              .map(([members, other]) => ({ ...other, ...Object.fromEntries(members) })),
          );
    return fc.tuple(key, value);
  });
}
