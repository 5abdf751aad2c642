// A module loaded afresh, for modules that keep a buffer at module level.
/**
 * A newly loaded instance of the module at `resolved` (a `require.resolve` path), as a cold start (a new Lambda instance, a new process) has it:
 * module-level buffers not grown by earlier tests. The cached instance is left in place for everyone else.
 */
export function coldStart<T>(resolved: string): T {
  const loaded = require.cache[resolved];
  delete require.cache[resolved];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only require loads a second instance
    return require(resolved) as T;
  } finally {
    require.cache[resolved] = loaded;
  }
}
