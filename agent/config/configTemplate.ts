/**
 * The commented template printed by `pos-agent config init`. As is, it runs
 * against the local emulator (`pos-emulator host --port 8080` and
 * `pos-emulator reader --link /tmp/pos-reader`) with the seed's demo identity,
 * once its two key files exist (`pos-agent keygen --out ./queue.key` and
 * `pos-agent keygen --api-token --out ./api-token`). The POS API token is on.
 */
export function configTemplate(): string {
  return `# pos-agent configuration. Check it with: pos-agent config check --config FILE
# Any string value may use \${ENV_VAR}; relative paths are relative to this file.
# It holds the client secret (host.clientSecret): keep it mode 0600 (chmod 600 FILE), or move the secret
# to host.clientSecretFile.

terminal:
  # Identity issued by the acquirer. Quote them: they are strings, not numbers.
  merchantId: "IBP000000000162"
  terminalId: "20690111"

reader:
  # Serial device of the card reader (/dev/ttyUSB0, /dev/ttyACM0, ...).
  # The emulator makes /tmp/pos-reader: pos-emulator reader --link /tmp/pos-reader
  path: /tmp/pos-reader
  # Wire profile: framed (STX/ETX/LRC, default) or magtek (raw track lines).
  profile: framed
  # Line speed, bits per second (default 9600).
  baudRate: 9600
  # Keep-alive poll interval in milliseconds (default 1000).
  keepAliveMs: 1000

host:
  # rest (default) or iso8583. With iso8583 set isoAddress: "127.0.0.1:8583" instead of baseUrl.
  transport: rest
  # Loyalty host URL (http:// or https://). The emulator listens on http://127.0.0.1:8080.
  baseUrl: http://127.0.0.1:8080
  # OAuth client credentials. These are the seed's sample credentials the emulator accepts.
  clientId: IKIA1B7593C4402BC5E00C46AC8B1C1CC0B85EEBB088
  # Set exactly one of clientSecret / clientSecretFile. In production keep the secret
  # in a file of mode 0600:  clientSecretFile: /etc/pos-agent/client-secret
  clientSecret: secret
  # Milliseconds to wait for an answer once a request is sent (default 10000).
  timeoutMs: 10000
  # Milliseconds to wait for the connection (default 3000).
  connectTimeoutMs: 3000
  # A PEM file to trust in addition to the system CAs (e.g. the emulator's --tls-ca-out file).
  # caFile: ./host-ca.pem

queue:
  # The store-and-forward SQLite file (its directory must exist).
  path: ./pos-agent-queue.db
  # 32-byte key that encrypts card data in the queue. Create it once with:
  #   pos-agent keygen --out ./queue.key
  keyFile: ./queue.key
  # Undelivered entries older than this many seconds go to dead-letter (default 604800 = 7 days).
  maxAgeS: 604800
  # Cards forwarded at once when draining (default 8).
  concurrency: 8
  # Done operations are deleted this many seconds after they settled, with their POS references: a POS retry
  # with such a reference is then a new sale (default 2592000 = 30 days; 0 keeps them forever).
  retainDoneS: 2592000

offline:
  # Approve burns while the host is unreachable, within the limits below (default false).
  enabled: false
  # Largest single offline burn, points (default 500).
  maxPointsPerTxn: 500
  # Total points of offline burns not yet confirmed by the host (default 2000).
  maxTotalPoints: 2000
  # Number of offline burns not yet confirmed (default 10).
  maxCount: 10
  # Refuse new offline burns once the oldest unconfirmed one is this old, seconds (default 86400).
  maxAgeS: 86400
  # An offline burn never exceeds the card's last balance seen online on this terminal (less its unconfirmed
  # offline burns); that balance is used for this many seconds (default 86400).
  balanceMaxAgeS: 86400
  # Offline burns on a card with no such balance (never seen online here): refuse (default) or allow.
  # Expired cards, and cards the host refused online, are always declined offline.
  unknownCards: refuse

api:
  # Local POS API. Loopback only (127.0.0.1 or [::1]); default 127.0.0.1:7401.
  listen: 127.0.0.1:7401
  # The bearer token the cashier's app sends on every request (Authorization: Bearer <token>).
  # Without it any process on this terminal could arm the reader. Create it once with:
  #   pos-agent keygen --api-token --out ./api-token
  # and give the cashier's app the same token. To rotate: write a new file, move it over this one,
  # restart the agent.
  tokenFile: ./api-token
  # Routes answered without the token, for a local monitoring agent (default: both); [] closes them too.
  openRoutes: [/v1/health, /metrics]

log:
  # fatal, error, warn, info (default), debug, trace or silent.
  level: info
`;
}
