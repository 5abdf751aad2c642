// Typed reads of resource inputs. Every reader returns the value, `undefined` when it is absent (or of another
// type), or the UnknownValue when it is not known yet, so a rule has to decide what an unknown means.
import { InputObject, InputValue, isUnknown, UnknownValue } from "./unknown-values";

export type Maybe<T> = T | undefined | UnknownValue;

/** The value at `path` below `value` (null read as absent); stops at the first absent or unknown step. */
export function valueAt(value: Maybe<InputValue>, ...path: string[]): Maybe<Exclude<InputValue, null>> {
  let current: Maybe<InputValue> = value;
  for (const key of path) {
    if (isUnknown(current)) {
      return current;
    }
    if (current === null || typeof current !== "object" || Array.isArray(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current === null ? undefined : current;
}

export function objectAt(value: Maybe<InputValue>, ...path: string[]): Maybe<InputObject> {
  const found = valueAt(value, ...path);
  // An unknown is an object too, so it comes back as itself.
  return typeof found === "object" && !Array.isArray(found) ? found : undefined;
}

export function arrayAt(value: Maybe<InputValue>, ...path: string[]): Maybe<InputValue[]> {
  const found = valueAt(value, ...path);
  if (isUnknown(found)) {
    return found;
  }
  return Array.isArray(found) ? found : undefined;
}

/** A string, or a number rendered as one; blank strings count as absent. */
export function stringAt(value: Maybe<InputValue>, ...path: string[]): Maybe<string> {
  const found = valueAt(value, ...path);
  if (isUnknown(found)) {
    return found;
  }
  if (typeof found === "number") {
    return String(found);
  }
  return typeof found === "string" && found.trim() !== "" ? found : undefined;
}

/** A number, or a numeric string (stack config and processor parameters carry numbers as strings). */
export function numberAt(value: Maybe<InputValue>, ...path: string[]): Maybe<number> {
  const found = valueAt(value, ...path);
  if (isUnknown(found)) {
    return found;
  }
  if (typeof found === "number") {
    return found;
  }
  if (typeof found === "string" && found.trim() !== "" && Number.isFinite(Number(found))) {
    return Number(found);
  }
  return undefined;
}

/** A boolean, or "true"/"false" (some provider fields, like Redshift's `encrypted`, are strings). */
export function booleanAt(value: Maybe<InputValue>, ...path: string[]): Maybe<boolean> {
  const found = valueAt(value, ...path);
  if (isUnknown(found)) {
    return found;
  }
  if (typeof found === "boolean") {
    return found;
  }
  if (found === "true" || found === "false") {
    return found === "true";
  }
  return undefined;
}

/** The strings of a list input; unknown elements stay unknown, other elements are dropped. */
export function stringsAt(value: Maybe<InputValue>, ...path: string[]): Maybe<Array<string | UnknownValue>> {
  const found = arrayAt(value, ...path);
  if (found === undefined || isUnknown(found)) {
    return found;
  }
  return found.filter((item): item is string | UnknownValue => typeof item === "string" || isUnknown(item));
}
