/**
 * Base class for every error the project throws on purpose.
 *
 * Branch on `code`, never on `message`. Messages say what was wrong and what
 * was expected; they never carry a PAN, track data or raw frame bytes.
 */
export class PosError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
