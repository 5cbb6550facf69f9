// Reproduced claims recorded on `AssayEvaluations` (events only on chain).
import { ponder } from 'ponder:registry'
import { attestation } from 'ponder:schema'

ponder.on('AssayEvaluations:EvaluationReproduced', async ({ event, context }) => {
  const { modelId, version, account, resultIndex, observed, matched, licensed } = event.args
  await context.db.insert(attestation).values({
    id: event.id,
    modelId,
    version,
    account,
    resultIndex,
    // int256 values (6 decimals) as decimal text: exact, and JSON-safe.
    observed: observed.map((v) => v.toString()),
    matched,
    licensed,
    timestamp: event.block.timestamp
  })
})
