import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_KEYS, configTemplate, loadConfig, writeApiTokenFile } from '../../../agent/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'cfg-tpl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configTemplate', () => {
  it('loads with no problems and targets the local emulator with the seed identity', () => {
    const path = join(dir, 'pos-agent.yaml');
    writeFileSync(path, configTemplate(), { mode: 0o600 }); // as the template says: it holds the client secret
    writeFileSync(join(dir, 'queue.key'), Buffer.alloc(32, 1), { mode: 0o600 });
    writeApiTokenFile(join(dir, 'api-token'));
    const { config, warnings } = loadConfig(path, {});
    expect(warnings).toEqual([]);
    expect(config.terminal).toEqual({ merchantId: 'IBP000000000162', terminalId: '20690111' });
    expect(config.reader.path).toBe('/tmp/pos-reader');
    expect(config.host).toMatchObject({
      transport: 'rest',
      baseUrl: 'http://127.0.0.1:8080',
      clientId: 'IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088',
      clientSecret: 'secret',
    });
    expect(config.queue.keyFile).toBe(join(dir, 'queue.key'));
    // The POS API token is on, and the monitoring routes stay open.
    expect(config.api).toMatchObject({ tokenFile: join(dir, 'api-token'), token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), openRoutes: ['/v1/health', '/metrics'] });
  });

  it('mentions every key the config accepts', () => {
    const text = configTemplate();
    for (const [section, keys] of Object.entries(CONFIG_KEYS)) {
      expect(text).toContain(`\n${section}:\n`);
      for (const key of Object.keys(keys)) expect(text, `${section}.${key}`).toMatch(new RegExp(`\\b${key}\\b`));
    }
  });
});
