import { generate } from 'selfsigned';

/** A certificate and key, PEM. */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/**
 * Generates a self-signed certificate for `localhost` and 127.0.0.1 (CN
 * localhost, SANs DNS:localhost and IP:127.0.0.1, valid 30 days from `now`).
 * The certificate is its own CA: a client trusts it by adding it as a CA.
 */
export async function selfSignedCert(now: Date): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
