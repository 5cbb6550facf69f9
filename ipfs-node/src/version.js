/**
 * Name and version reported by `/api/v0/version` and `/api/v0/id`.
 *
 * @module version
 */
import { readFileSync } from 'node:fs'

/** Agent name of this node. */
export const NAME = 'assay-helia-dev-node'
/** Version, read from package.json. */
export const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
