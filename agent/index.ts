/** The agent as a library: its parts composed as `pos-agent run` composes them (used by the emulator's fleet and counter). */
export { composeAgent, type ComposedAgent, type ComposeOptions } from './composeAgent.js';
export { packageRoot, packageVersion } from './packageInfo.js';
export { startAgentRuntime, type AgentRuntime } from './agentRuntime.js';
