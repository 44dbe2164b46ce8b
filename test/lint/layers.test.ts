import path from 'node:path';
import { RuleTester } from 'eslint';
import { describe, it } from 'vitest';
// @ts-expect-error eslint.config.js is plain JavaScript without types
import { layers } from '../../eslint.config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const at = (file: string) => path.join(ROOT, file);

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } });

// The layers of DESIGN.md ("Layout"), as the lint rule holds them. Imports are made up; only paths matter.
tester.run('pos/layers', layers, {
  valid: [
    { filename: at('agent/forwarder/forwarder.ts'), code: "import { x } from './chainSender.js';" },
    { filename: at('agent/forwarder/forwarder.ts'), code: "import { HostError } from '../host/index.js';" },
    { filename: at('agent/forwarder/forwarder.ts'), code: "import { OperationQueue } from '../queue/index.js';" },
    { filename: at('agent/queue/sendLifecycle.ts'), code: "import { backoffDelay } from '../../protocol/index.js';" },
    { filename: at('agent/queue/sendLifecycle.ts'), code: "import { x } from '../composeAgent.js';" },
    { filename: at('protocol/loyalty/mandate.ts'), code: "import { x } from '../pan.js';" },
    { filename: at('emulator/fleet/fleetTerminal.ts'), code: "import { composeAgent } from '../../agent/index.js';" },
    { filename: at('agent/cli.ts'), code: "const m = import('./commands/run.js');" },
    { filename: at('agent/queue/sendLifecycle.ts'), code: "import { z } from 'zod';" },
  ],
  invalid: [
    {
      filename: at('protocol/loyalty/mandate.ts'),
      code: "import { HostError } from '../../agent/host/index.js';",
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('protocol/pan.ts'),
      code: "import { Ledger } from '../emulator/host/index.js';",
      errors: [{ messageId: 'upward' }],
    },
    // The store knows nothing of the host or of how its operations are sent.
    {
      filename: at('agent/queue/sendLifecycle.ts'),
      code: "import { HostError } from '../host/index.js';",
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('agent/queue/sendLifecycle.ts'),
      code: "import { Forwarder } from '../forwarder/index.js';",
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('agent/forwarder/forwarder.ts'),
      code: "import { startHost } from '../../emulator/host/index.js';",
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('agent/forwarder/forwarder.ts'),
      code: "import { HostError } from '../host/hostClient.js';",
      output: "import { HostError } from '../host/index.js';",
      errors: [{ messageId: 'index' }],
    },
    {
      filename: at('agent/forwarder/forwarder.ts'),
      code: "export { maskPan } from '../../protocol/pan.js';",
      output: "export { maskPan } from '../../protocol/index.js';",
      errors: [{ messageId: 'index' }],
    },
  ],
});
