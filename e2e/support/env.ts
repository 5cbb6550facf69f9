/**
 * The environment the suite runs against, as set by the task runner (`cargo xtask test`) or by
 * `scripts/local-stack.mjs`. Every variable is required: a missing one fails the run at once,
 * naming it, rather than silently testing whatever happens to listen on a default port.
 */

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(
      `e2e: the environment variable ${name} is not set. The suite needs ASSAY_APP_URL, ASSAY_APP_IPFS_URL, ` +
        'ASSAY_RPC_URL, ASSAY_CHAIN_ID, ASSAY_IPFS_URL and ASSAY_ARTIFACTS_DIR; run it through `cargo xtask test`, ' +
        'or start `node scripts/local-stack.mjs` and export what it prints (see e2e/README.md).',
    );
  }
  return value.trim();
}

function url(name: string, { trailingSlash }: { trailingSlash: boolean }): string {
  const value = required(name);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`e2e: ${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (trailingSlash && !parsed.pathname.endsWith('/')) {
    throw new Error(`e2e: ${name} must end with "/" (the app's directory), got ${JSON.stringify(value)}`);
  }
  return value;
}

function chainId(name: string): number {
  const value = required(name);
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`e2e: ${name} is not a chain id: ${JSON.stringify(value)}`);
  return id;
}

export const env = {
  /** The app at a server root, ending in `/`. */
  appUrl: url('ASSAY_APP_URL', { trailingSlash: true }),
  /** The same app under the IPFS path gateway (`…/ipfs/<cid>/`). */
  appIpfsUrl: url('ASSAY_APP_IPFS_URL', { trailingSlash: true }),
  /** anvil's JSON-RPC endpoint. */
  rpcUrl: url('ASSAY_RPC_URL', { trailingSlash: false }),
  /** anvil's chain id (the one config.json names). */
  chainId: chainId('ASSAY_CHAIN_ID'),
  /** The IPFS node's base URL. */
  ipfsUrl: url('ASSAY_IPFS_URL', { trailingSlash: false }),
  /** Where screenshots go (created on demand). */
  artifactsDir: required('ASSAY_ARTIFACTS_DIR'),
} as const;
