import { PosError } from '../errors.js';
import { maskPanLike } from '../pan.js';
import { OFFERS_ERROR_CATALOG, type OffersWireCode } from './offersErrorCatalog.js';

/** One `{code, message}` pair of the error body. */
export interface OffersErrorItem {
  code: OffersWireCode;
  message: string;
}

/** The seed's error body: every problem in `errors`, the first repeated as `error`. */
export interface OffersErrorBody {
  errors: OffersErrorItem[];
  error: OffersErrorItem;
}

/**
 * A Pay with Points request the host refuses. `code` is the wire code of the
 * first problem; `items` lists every problem (validation may find several).
 * Messages are passed through {@link maskPanLike} as a safety net, so a PAN
 * never reaches a client or a log even if a caller slips.
 */
export class OffersError extends PosError<OffersWireCode> {
  readonly items: readonly OffersErrorItem[];

  constructor(code: OffersWireCode, message?: string, options?: { cause?: unknown; more?: OffersErrorItem[] }) {
    const first = maskPanLike(message ?? OFFERS_ERROR_CATALOG[code].message);
    super(code, first, options);
    const more = (options?.more ?? []).map((i) => ({ code: i.code, message: maskPanLike(i.message) }));
    this.items = [{ code, message: first }, ...more];
  }

  /** The HTTP status for this error's code. */
  get status(): number {
    return OFFERS_ERROR_CATALOG[this.code].status;
  }

  /** The error body to send. */
  toBody(): OffersErrorBody {
    const errors = this.items.map((i) => ({ ...i }));
    const first = errors[0] ?? { code: this.code, message: this.message };
    return { errors, error: { ...first } };
  }
}

/** Builds an error body for one code (message defaults to the catalog's). */
export function offersErrorBody(code: OffersWireCode, message?: string): OffersErrorBody {
  return new OffersError(code, message).toBody();
}
