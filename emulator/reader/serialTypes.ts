import type { SerialPortStream } from '@serialport/stream';
import { SerialPortMock } from 'serialport';

// The @serialport/* packages' ESM entry points ship no types under NodeNext
// resolution, so the binding types are taken from @serialport/stream (types
// only) and the mock binding from serialport's own SerialPortMock.

/** A serialport binding (`BindingInterface`): `list` and `open`. */
export type SerialBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];
/** What `SerialBinding.open` resolves to (`BindingPortInterface`). */
export type SerialBindingPort = Awaited<ReturnType<SerialBinding['open']>>;
/** Options given to `SerialBinding.open`. */
export type SerialOpenOptions = Parameters<SerialBinding['open']>[0];
/** `@serialport/binding-mock`'s MockBinding. */
export const MockBinding = SerialPortMock.binding;
export type MockPort = Awaited<ReturnType<typeof MockBinding.open>>;
