import type { SerialPortStream } from '@serialport/stream';

// The @serialport/* ESM entry points ship no types under NodeNext resolution,
// so the binding type is taken from @serialport/stream (types only).

/** A serialport binding (`BindingInterface`), e.g. MockBinding for tests. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];
