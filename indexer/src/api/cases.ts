// Moderation cases with their evidence.

import { db } from 'ponder:api'
import { evidence, moderationCase } from 'ponder:schema'
import { asc, eq, inArray } from 'ponder'

export const CASE_STATUS = ['None', 'AwaitingResponse', 'InArbitration', 'Unanswered', 'Upheld', 'Dismissed', 'Refused']
export const REASON = ['InfringesRights', 'MaliciousFile', 'Misrepresented', 'IllegalContent']

export async function casesOf(modelId?: bigint) {
  const cases = await db
    .select()
    .from(moderationCase)
    .where(modelId === undefined ? undefined : eq(moderationCase.modelId, modelId))
    .orderBy(asc(moderationCase.id))
  const ids = cases.map((c) => c.id)
  const documents = ids.length
    ? await db
        .select()
        .from(evidence)
        .where(inArray(evidence.caseId, ids))
        .orderBy(asc(evidence.timestamp), asc(evidence.id))
    : []
  return cases.map((c) => ({
    ...c,
    reasonName: REASON[c.reason],
    statusName: CASE_STATUS[c.status],
    evidence: documents.filter((d) => d.caseId === c.id).map(({ caseId: _, ...d }) => d)
  }))
}
