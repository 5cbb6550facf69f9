/**
 * Chain and IPFS set-up for specs, through the real tools: Foundry's `cast` against the suite's
 * anvil (whose dev accounts are unlocked) and the IPFS node's Kubo RPC `/api/v0/add`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { env } from './env';

export const CAST = fileURLToPath(
  new URL('../../contracts/node_modules/@foundry-rs/cast-linux-amd64/bin/cast', import.meta.url),
);
export const TIER = '(uint96,uint32,uint32,bool,bool,bool,string)';
export const LIST_MODEL = `listModel(string,bytes32,uint16,(address,uint16)[],(uint256,uint16,uint256)[],${TIER}[])`;
export const ZERO32 = `0x${'00'.repeat(32)}`;

export function cast(...args: string[]): string {
  return execFileSync(CAST, args, { encoding: 'utf8' }).trim();
}

/** A `cast call` of a view returning one number. */
export function callNumber(to: string, signature: string, ...args: string[]): bigint {
  return BigInt(cast('call', '--rpc-url', env.rpcUrl, to, signature, ...args).split(' ')[0]);
}

/** The market's address, from the config.json the app is served with. */
export async function market(): Promise<string> {
  const response = await fetch(new URL('config.json', env.appUrl));
  const config = (await response.json()) as { contracts?: Record<string, string> };
  const address = config.contracts?.AssayMarket;
  if (!address) throw new Error('config.json has no AssayMarket: run the suite through `cargo xtask test e2e`');
  return address;
}

/** anvil's dev account `index` (lower case). */
export async function account(index: number): Promise<string> {
  const accounts = (await rpc('eth_accounts', [])) as string[];
  return accounts[index];
}

/** A JSON-RPC call straight to anvil. */
export async function rpc(method: string, params: unknown[]): Promise<unknown> {
  const response = await fetch(env.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** A mined transaction's receipt, as `cast send --json` prints it. */
interface Receipt {
  status: string;
  logs: { address: string; topics: string[] }[];
}

/** Sends a transaction from an unlocked anvil account with `cast send`; its receipt. */
export function send(from: string, to: string, signature: string, args: string[], value = '0'): Receipt {
  const out = cast(
    'send',
    '--json',
    '--rpc-url',
    env.rpcUrl,
    '--unlocked',
    '--from',
    from,
    '--value',
    value,
    to,
    signature,
    ...args,
  );
  return JSON.parse(out) as Receipt;
}

/** A licence tier as `listModel` takes it. */
export interface TierArg {
  price: bigint;
  duration?: number;
  maxSupply?: number;
  commercial?: boolean;
  derivatives?: boolean;
  transferable?: boolean;
}

function tierTuple(t: TierArg): string {
  return `(${t.price},${t.duration ?? 0},${t.maxSupply ?? 0},${t.commercial ?? true},${t.derivatives ?? true},${t.transferable ?? true},"")`;
}

/** Lists a model from `creator`; returns its id. */
export function listModel(
  marketAddress: string,
  creator: string,
  cid: string,
  tiers: TierArg[],
  {
    coAuthors = [],
    parents = [],
  }: {
    coAuthors?: [string, number][];
    /** Parent id, share in bps, and the creator's licence of it (0 or absent: the creator owns the parent). */
    parents?: [bigint, number, bigint?][];
  } = {},
): bigint {
  const authors = `[${coAuthors.map(([a, bps]) => `(${a},${bps})`).join(',')}]`;
  const parentList = `[${parents.map(([id, bps, licence]) => `(${id},${bps},${licence ?? 0n})`).join(',')}]`;
  send(creator, marketAddress, LIST_MODEL, [
    cid,
    ZERO32,
    '0',
    authors,
    parentList,
    `[${tiers.map(tierTuple).join(',')}]`,
  ]);
  return callNumber(marketAddress, 'modelCount()(uint256)');
}

/** `buyer` buys an open licence of tier `tierId` of `modelId` at `price` wei (no buyer key: open weights); its id. */
export function buyOpen(
  marketAddress: string,
  buyer: string,
  modelId: bigint | number,
  price: bigint | string,
  tierId = 0,
): bigint {
  const receipt = send(
    buyer,
    marketAddress,
    'buyLicense(uint256,uint256,bytes32,bytes32)',
    [modelId.toString(), String(tierId), ZERO32, ZERO32],
    price.toString(),
  );
  const purchased = cast('sig-event', 'LicencePurchased(uint256,uint256,address,uint256,uint256,uint64,bytes32,bool)');
  const log = receipt.logs.find(
    (l) => l.address.toLowerCase() === marketAddress.toLowerCase() && l.topics[0] === purchased,
  );
  if (!log) throw new Error(`buying tier ${tierId} of model #${modelId}: the receipt has no LicencePurchased event`);
  return BigInt(log.topics[1]);
}

export function withdrawable(marketAddress: string, who: string): bigint {
  return callNumber(marketAddress, 'withdrawable(address)(uint256)', who);
}

/** Adds bytes to the suite's IPFS node through its Kubo RPC API (the fixed import profile). */
export async function ipfsAdd(bytes: Uint8Array, name = 'file.bin'): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const params = new URLSearchParams({ 'cid-version': '1', 'raw-leaves': 'true', chunker: 'size-1048576' });
  const response = await fetch(`${env.ipfsUrl}/api/v0/add?${params}`, { method: 'POST', body: form });
  if (response.status !== 200) throw new Error(`ipfs add: HTTP ${response.status} ${await response.text()}`);
  const lines = (await response.text()).trim().split('\n');
  return JSON.parse(lines[lines.length - 1]).Hash;
}

/** Moves anvil's clock forward and mines a block. */
export async function timeTravel(seconds: number) {
  await rpc('evm_increaseTime', [seconds]);
  await rpc('evm_mine', []);
}
