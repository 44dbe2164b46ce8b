/** Turns the bytes of one connection into calls on its `ReaderLine`. */
export interface InputDecoder {
  push(chunk: Uint8Array): void;
  /** After an inter-byte gap: reports what is held as cut short. */
  flush(): void;
  /** True while something partial is held (the driver then runs its gap timer). */
  readonly pending: boolean;
}

/** A streaming parser of the protocol: `FrameDecoder`, `MagtekParser`. */
export interface EventParser<E> {
  push(chunk: Uint8Array): E[];
  flush(): E[];
  readonly pending: boolean;
}

/** An {@link InputDecoder} that hands each event of `parser` to `onEvent`, in stream order. */
export function inputDecoder<E>(parser: EventParser<E>, onEvent: (ev: E) => void): InputDecoder {
  return {
    push: (chunk) => parser.push(chunk).forEach(onEvent),
    flush: () => parser.flush().forEach(onEvent),
    get pending() {
      return parser.pending;
    },
  };
}
