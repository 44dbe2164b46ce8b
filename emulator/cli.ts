#!/usr/bin/env node
/**
 * pos-emulator: the stand-ins for everything physical or remote. Each
 * sub-command lives in emulator/<name>/main.ts and exports `main(argv): Promise<number>`.
 */
import { runCli, type Command } from '../agent/commands/index.js';

const USAGE = `usage: pos-emulator <command> [options]  |  pos-emulator --version

commands:
  host   [--port N] [--iso-port N [--iso-idle-s S] [--iso-max-connections N]] [--db FILE] [--fixtures FILE]
         [--webhook-url URL --webhook-secret whsec_... [--webhook-ca FILE]] [--tls [--tls-ca-out FILE]] [--clients FILE]
                                  the loyalty host (REST, Pay with Points, ISO 8583)
  reader --link PATH [--profile framed|magtek] [--baud 9600] [--pace]
                                  a card reader on a virtual serial port (socat)
  fleet  --terminals N --duration S --host URL
                                  N emulated terminals; prints throughput and latency
  console [--port N] [--open]     a whole emulated counter and a page on 127.0.0.1 to drive and watch it
`;

const commands: Record<string, () => Promise<Command>> = {
  host: () => import('./host/main.js'),
  reader: () => import('./reader/main.js'),
  fleet: () => import('./fleet/main.js'),
  console: () => import('./console/main.js'),
};

runCli('pos-emulator', USAGE, commands, process.argv.slice(2));
