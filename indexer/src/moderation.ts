// Moderation cases: flags, responses, rulings, every status change, and ERC-1497 evidence.
import { ponder } from 'ponder:registry'
import { evidence, model, moderationCase } from 'ponder:schema'

const CASE_STATUS = ['None', 'AwaitingResponse', 'InArbitration', 'Unanswered', 'Upheld', 'Dismissed', 'Refused']
const ZERO = '0x0000000000000000000000000000000000000000'

ponder.on('AssayModeration:Flagged', async ({ event, context }) => {
  const { caseId, modelId, flagger, reason, stake, responseDeadline, evidenceCid } = event.args
  await context.db.insert(moderationCase).values({
    id: caseId,
    modelId,
    flagger,
    reason: Number(reason),
    status: 1,
    responseDeadline,
    stake,
    held: stake,
    responder: ZERO,
    arbitrationFee: 0n,
    disputeId: 0n,
    evidenceCid,
    openedAt: event.block.timestamp
  })
  await context.db.update(model, { id: modelId }).set({ latestCase: caseId })
})

ponder.on('AssayModeration:Responded', async ({ event, context }) => {
  const { caseId, responder, disputeId, arbitrationFee } = event.args
  // Both stakes are held, less the arbitration fee paid from them.
  await context.db
    .update(moderationCase, { id: caseId })
    .set((c) => ({ responder, disputeId, arbitrationFee, held: 2n * c.stake - arbitrationFee }))
})

ponder.on('AssayModeration:StatusChanged', async ({ event, context }) => {
  const { caseId, modelId, status } = event.args
  // A case leaves its open states only by paying the stakes out (credited to the parties).
  const open = status === 1 || status === 2
  await context.db
    .update(moderationCase, { id: caseId })
    .set((c) => ({ status: Number(status), held: open ? c.held : 0n }))
  await context.db.update(model, { id: modelId }).set({ caseStatus: CASE_STATUS[Number(status)] ?? 'None' })
})

ponder.on('AssayModeration:Evidence', async ({ event, context }) => {
  const { _evidenceGroupID, _party, _evidence } = event.args
  await context.db.insert(evidence).values({
    id: event.id,
    caseId: _evidenceGroupID,
    party: _party,
    uri: _evidence,
    timestamp: event.block.timestamp
  })
})
