/** `npm start`: the demo narrative. Until the pieces exist it says what the package holds. */
process.stdout.write(`pos-agent demo
The package holds:
  pos-agent     the terminal daemon (dist/agent/cli.js)
  pos-emulator  host, reader and fleet emulators (dist/emulator/cli.js)
The full demo (enroll, swipe, burn, earn, offline queue, drain) is being built.
`);
