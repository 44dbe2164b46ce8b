/** The agent as a library: its parts composed as `pos-agent run` composes them (used by the emulator's fleet). */
export { composeAgent, type ComposedAgent, type ComposeOptions } from './composeAgent.js';
export { packageRoot, packageVersion } from './packageInfo.js';
