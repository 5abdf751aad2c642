// Credentials written into a URL (`https://user:password@host/`, `jdbc:redshift://user:pw@host:5439/db`) must
// not reach a terminal, a CI log or a pull-request comment: every message that may echo a configured URL
// passes through here.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s?#@"']*@/gi;

/** `text` with the user-info part of every URL in it replaced by `***`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
