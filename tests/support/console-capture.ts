// What the code under test reports on console.error is part of what it does: tests read it instead of printing it.

/**
 * Within the calling `describe`, console.error's lines (arguments joined by spaces) during each test, in order;
 * emptied before each test, console.error restored after it.
 */
export function captureConsoleError(): readonly string[] {
  const logged: string[] = [];
  const original = console.error;
  beforeEach(() => {
    logged.length = 0;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  });
  afterEach(() => {
    console.error = original;
  });
  return logged;
}
