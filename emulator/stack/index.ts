/** A whole emulated counter as real processes (host, reader on socat, agent), and a POS client for it. */
export { CounterStack, AGENT_CLI, EMULATOR_CLI, agentConfigYaml, type StackOptions } from './counterStack.js';
export { jsonRequest, agentRequest, withSwipe, type PosAnswer } from './posClient.js';
export { cashierText, money, reasonText } from './cashierText.js';
export { jsonLine } from './childProcess.js';
