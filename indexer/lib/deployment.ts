// The deployment the indexer follows, read from the same `config.json` the app is published with
// (`ASSAY_CONFIG`: its path), and the contracts' ABIs, read from Foundry's compiled artifacts
// (`contracts/out/<Name>.sol/<Name>.json`, or `ASSAY_CONTRACTS_OUT`): never written by hand.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Abi } from 'viem'

export type Deployment = {
  chainId: number
  rpcUrl: string
  deployBlock: number
  contracts: Record<string, `0x${string}`>
  gateways: string[]
}

/** The contracts the indexer follows, by the names the deploy script writes. */
export const FOLLOWED = ['AssayMarket', 'AssayModels', 'AssayModeration', 'AssayEvaluations'] as const

export function readDeployment(): Deployment {
  const file = process.env.ASSAY_CONFIG
  if (!file) throw new Error("ASSAY_CONFIG must name the deployment's config.json (as the app gets it)")
  let raw: Record<string, unknown>
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Error(`${file} is not a readable JSON config: ${(e as Error).message}`)
  }
  const contracts = (raw.contracts ?? {}) as Record<string, `0x${string}`>
  for (const name of ['AssayMarket', 'AssayModels']) {
    if (!contracts[name]) throw new Error(`${file} names no ${name} contract`)
  }
  const ipfs = (raw.ipfs ?? {}) as { gateways?: string[] }
  return {
    chainId: Number(raw.chainId ?? 31337),
    rpcUrl: String(raw.rpcUrl ?? 'http://127.0.0.1:8545'),
    deployBlock: Number(raw.deployBlock ?? 0),
    contracts,
    gateways: ipfs.gateways ?? ['http://127.0.0.1:5001']
  }
}

/** A contract's ABI from its Foundry artifact. */
export function artifactAbi(name: string): Abi {
  const out = process.env.ASSAY_CONTRACTS_OUT ?? path.resolve(process.cwd(), '../contracts/out')
  const file = path.join(out, `${name}.sol`, `${name}.json`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')).abi as Abi
  } catch (e) {
    throw new Error(`no compiled ABI for ${name} at ${file} (run forge build in contracts/): ${(e as Error).message}`)
  }
}
