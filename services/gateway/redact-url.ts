/**
 * A request URL as it may be logged: the bearer token a browser passes as
 * `?access_token=` replaced by `[redacted]`. A parameter is matched by its
 * decoded name (`access%5Ftoken` is the same parameter to the query parser),
 * and a parameter whose name cannot be decoded is redacted too.
 */
import { TOKEN_PARAM } from './messages.ts';

const REDACTED = '[redacted]';

function decodedName(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      const name = decodedName(rawName);
      return name === undefined ? REDACTED : name === TOKEN_PARAM ? `${rawName}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}
