import { createConfig } from 'ponder'
import { artifactAbi, FOLLOWED, readDeployment } from './lib/deployment'

const deployment = readDeployment()

// Only the contracts this deployment has (a deployment without moderation or attestations has none of their events).
const contracts = Object.fromEntries(
  FOLLOWED.filter((name) => deployment.contracts[name]).map((name) => [
    name,
    {
      abi: artifactAbi(name),
      chain: 'assay',
      address: deployment.contracts[name],
      startBlock: deployment.deployBlock
    }
  ])
)

export default createConfig({
  // `DATABASE_URL` set: Postgres (one writer, any number of `ponder serve` readers); else embedded PGlite.
  database: process.env.DATABASE_URL
    ? { kind: 'postgres', connectionString: process.env.DATABASE_URL }
    : { kind: 'pglite', directory: process.env.ASSAY_INDEXER_DATA ?? '.ponder/pglite' },
  chains: {
    assay: {
      id: deployment.chainId,
      rpc: deployment.rpcUrl,
      pollingInterval: Number(process.env.ASSAY_INDEXER_POLL_MS ?? 1_000),
      // A local chain (anvil) restarts with other blocks under the same chain id: nothing cached across runs.
      disableCache: deployment.chainId === 31337
    }
  },
  contracts: contracts as Record<(typeof FOLLOWED)[number], (typeof contracts)[string]>
})
