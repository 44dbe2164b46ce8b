import { existsSync, statSync } from 'node:fs';
import type { AgentConfig } from './agentConfig.js';
import type { ConfigWarning } from './configError.js';
import type { ConfigDocument } from './configDocument.js';

/** A file mode that lets group or others read it. */
const openToOthers = (mode: number): boolean => (mode & 0o077) !== 0;

/**
 * What works but should be fixed, in a valid config: a file holding a secret
 * (the config file itself when it has `host.clientSecret` inline, the client
 * secret file, the POS API token file, the queue key) readable by group or
 * others, a POS API without a token (`api.tokenFile` not set), and a queue key
 * that does not exist yet. `file` is the config file, when it is one.
 */
export function configWarnings(config: AgentConfig, doc: ConfigDocument, file?: string): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const warnIfShared = (path: string, file: string, what: string): void => {
    const mode = statSync(file).mode;
    if (openToOthers(mode)) {
      warnings.push({ path, ...doc.positionOf(path.split('.')), message: `${what} ${file} is readable by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${file}` });
    }
  };
  if (file !== undefined && config.host.transport === 'rest' && doc.isInline(['host', 'clientSecret']) && existsSync(file)) {
    const mode = statSync(file).mode;
    if (openToOthers(mode)) {
      warnings.push({
        path: 'host.clientSecret',
        ...doc.positionOf(['host', 'clientSecret']),
        message: `the config file ${file} holds host.clientSecret inline and is readable by group or others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${file}, or move the secret to host.clientSecretFile`,
      });
    }
  }
  if (config.host.clientSecretFile !== undefined) warnIfShared('host.clientSecretFile', config.host.clientSecretFile, 'the client secret file');
  if (config.api.tokenFile === undefined) {
    warnings.push({
      path: 'api.tokenFile',
      ...doc.positionOf(['api', 'tokenFile']),
      message: 'the POS API has no token (api.tokenFile is not set): any process on this terminal can arm the reader and drive the queue; create one with: pos-agent keygen --api-token --out /etc/pos-agent/api-token, then set api.tokenFile',
    });
  } else {
    warnIfShared('api.tokenFile', config.api.tokenFile, 'the POS API token file');
  }
  const keyFile = config.queue.keyFile;
  if (existsSync(keyFile)) warnIfShared('queue.keyFile', keyFile, 'the queue key file');
  else warnings.push({ path: 'queue.keyFile', ...doc.positionOf(['queue', 'keyFile']), message: `the queue key file ${keyFile} does not exist yet; create it with: pos-agent keygen --out ${keyFile}` });
  return warnings;
}
