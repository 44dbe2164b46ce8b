import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PosError } from '../../protocol/index.js';
import { createSecretFile } from '../secretFile.js';

/** Random bytes in a token from {@link writeApiTokenFile}: 32, written as 43 base64url characters. */
export const API_TOKEN_BYTES = 32;

/** The shortest token `api.tokenFile` accepts, in characters (a guessable token is no lock). */
export const API_TOKEN_MIN_CHARS = 32;

/** What `keygen --api-token` should say when it cannot write. */
export type ApiTokenErrorCode = 'API_TOKEN_ERR_EXISTS' | 'API_TOKEN_ERR_WRITE';

/** The token file could not be written. The message names the file, never a token. */
export class ApiTokenError extends PosError<ApiTokenErrorCode> {}

/** A token file as read: the token, or why it is unusable (naming the key) and what to do (never the token itself). */
export type ApiTokenRead = { token: string } | { problem: string; expected: string };

const FIX = (file: string) => `a file written by: pos-agent keygen --api-token --out ${file}`;

/**
 * Reads the POS API bearer token from `file`: its one line, a trailing
 * newline dropped. Refuses a file that is missing, unreadable, empty, shorter
 * than {@link API_TOKEN_MIN_CHARS}, or holding anything but visible ASCII on
 * one line (the token goes into an HTTP header as it is).
 */
export function readApiTokenFile(file: string): ApiTokenRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'names a file that does not exist' : code === 'EISDIR' ? 'names a directory, not a file' : `names a file that cannot be read (${String(code)})`;
    return { problem: `"api.tokenFile" ${why}`, expected: FIX(file) };
  }
  const token = text.replace(/\r?\n$/, '');
  if (token === '') return { problem: '"api.tokenFile" names an empty file', expected: FIX(file) };
  if (!/^[\x21-\x7e]+$/.test(token)) {
    return { problem: '"api.tokenFile" must hold the token alone on one line, in visible ASCII without spaces', expected: FIX(file) };
  }
  if (token.length < API_TOKEN_MIN_CHARS) {
    return { problem: `"api.tokenFile" holds a token of ${token.length} characters; at least ${API_TOKEN_MIN_CHARS} are needed`, expected: FIX(file) };
  }
  return { token };
}

/** A fresh token: {@link API_TOKEN_BYTES} random bytes, base64url (43 characters, safe in a header and a shell). */
export function generateApiToken(): string {
  return randomBytes(API_TOKEN_BYTES).toString('base64url');
}

/**
 * Writes a fresh token and a newline to `file` with mode 0600. Refuses to
 * overwrite an existing file: rotating is writing a new file, moving it over
 * the old one, and restarting the agent (README, "POS API authentication").
 */
export function writeApiTokenFile(file: string): void {
  let made: 'created' | 'exists';
  try {
    made = createSecretFile(file, `${generateApiToken()}\n`);
  } catch (err) {
    throw new ApiTokenError('API_TOKEN_ERR_WRITE', `cannot create API token file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (made === 'exists') {
    throw new ApiTokenError('API_TOKEN_ERR_EXISTS', `${file} already exists; refusing to overwrite it (to rotate the token, write a new file and move it over the old one)`);
  }
}
