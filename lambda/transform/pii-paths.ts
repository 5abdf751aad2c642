import { FieldPath } from "./field-path";

/**
 * The configured PII paths as a tree of case-folded segments, matched against record keys the way every
 * consumer downstream reads them:
 *
 * - **Case.** Keys are compared after {@link foldKey}, as Firehose's OpenX JSON SerDe and Athena's compare them
 *   with their (lower-cased) column names, so `email` matches `Email`, `EMAIL` and `eMaIl` at every segment.
 *   Every key of an object is tried, so a record holding both `email` and `EMAIL` has both matched.
 * - **Literal dotted keys.** A key containing dots is read as the path it spells: for `user.email`, the keys
 *   `"user.email"` (top level), `"User.Email"` and `{"user": {"Email": ...}}` all lead to the same place.
 * - **Arrays** are traversed at every segment, at any depth of nesting: each element that is an object continues
 *   the path (`user.email` reaches `{"user": [[{"email": ...}]]}`); other elements are left alone.
 * - A path is anchored at the record's top level: `email` does not match `user.email` (the optional detector
 *   covers values elsewhere).
 */
export interface PiiPathNode {
  /** The next segments, by folded segment. */
  readonly children: ReadonlyMap<string, PiiPathNode>;
  /** Set where a configured path ends: its last segment as configured, the pseudonym's prefix. */
  readonly name: string | undefined;
  /**
   * 1 for each ASCII char code a key may start with to match a child, in either case: lets most keys be
   * rejected without folding them (an ASCII character always folds to ASCII).
   */
  readonly firstChars: Uint8Array;
}

/**
 * Case folding: the Unicode default lower-case mapping (locale-independent), as Java's `toLowerCase` that Hive
 * and the OpenX SerDe use. It covers ASCII folding and folds more (`K` KELVIN SIGN is `k`), so every key a
 * consumer folds to a PII column is matched; matching more keys can only mask more.
 */
export function foldKey(key: string): string {
  return key.toLowerCase();
}

interface MutableNode {
  readonly children: Map<string, MutableNode>;
  name: string | undefined;
  readonly firstChars: Uint8Array;
}

function newNode(): MutableNode {
  return { children: new Map(), name: undefined, firstChars: new Uint8Array(128) };
}

/** Builds the tree; two paths that differ only in case are one path and must be listed once. */
export function compilePiiPaths(paths: readonly FieldPath[], variable: string): PiiPathNode {
  const root = newNode();
  for (const path of paths) {
    let node = root;
    for (const segment of path.segments) {
      const folded = foldKey(segment);
      let child = node.children.get(folded);
      if (child === undefined) {
        child = newNode();
        node.children.set(folded, child);
        const first = folded.charCodeAt(0);
        // Stryker disable next-line EqualityOperator: writing past the end of a Uint8Array is a no-op.
        if (first < 128) {
          node.firstChars[first] = 1;
          node.firstChars[String.fromCharCode(first).toUpperCase().charCodeAt(0)] = 1;
        }
      }
      node = child;
    }
    if (node.name !== undefined) {
      throw new Error(
        `${variable} lists ${JSON.stringify(path.path)} twice (paths match keys case-insensitively)`,
      );
    }
    node.name = path.name;
  }
  return root;
}

/** The node a record key leads to from `node`, or undefined when the key matches no configured path. */
export function nodeForKey(node: PiiPathNode, key: string): PiiPathNode | undefined {
  const first = key.charCodeAt(0);
  // NaN (the empty key) fails `< 128` and falls through to a lookup that finds nothing.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path; the lookup below agrees.
  if (first < 128 && node.firstChars[first] === 0) return undefined;
  const folded = foldKey(key);
  // Stryker disable next-line ConditionalExpression,StringLiteral: a fast path; splitting a dotless key agrees.
  if (!folded.includes(".")) return node.children.get(folded);
  let current: PiiPathNode | undefined = node;
  for (const segment of folded.split(".")) {
    current = current.children.get(segment);
    if (current === undefined) return undefined;
  }
  return current;
}
