/** Test helper: a scripted ISO 8583 host on 127.0.0.1 (port 0) for the client's failure paths. */
import { createServer, type Server, type Socket } from 'node:net';
import { LengthPrefixedFramer, decode, type Iso8583Message } from '../../../protocol/iso8583/index.js';

export type StubBehaviour = (req: Iso8583Message, socket: Socket, all: Iso8583Message[]) => void;

export class IsoStubHost {
  readonly received: Iso8583Message[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(behaviour: StubBehaviour): Promise<IsoStubHost> {
    let stub: IsoStubHost | undefined;
    const server = createServer((socket) => {
      stub?.sockets.add(socket);
      socket.on('close', () => stub?.sockets.delete(socket));
      socket.on('error', () => undefined);
      const framer = new LengthPrefixedFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const f of framer.push(chunk)) {
          const msg = decode(f);
          stub?.received.push(msg);
          behaviour(msg, socket, stub?.received ?? []);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    stub = new IsoStubHost(server, typeof addr === 'object' && addr !== null ? addr.port : 0);
    return stub;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return typeof addr === 'object' && addr !== null ? addr.port : 0;
}
