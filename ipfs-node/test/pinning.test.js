import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { add, dagImport, importLocally, pseudoRandomBytes, startNode } from './helpers.js'

const TOKEN = 'dev-pinning-token-1'
const FILE = pseudoRandomBytes(3 * 1024 * 1024 + 17, 7)

/** A Pinning Service API request to `node`. */
async function psa(node, path, { method = 'GET', token = TOKEN, body } = {}) {
  const headers = {}
  if (token != null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(`${node.url}/psa${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text === '' ? null : JSON.parse(text) }
}

describe('pinning service API (/psa)', () => {
  let node
  let fileCid
  before(async () => {
    node = await startNode({ args: ['--pinning-token', TOKEN] })
    const lines = await add(node.url, [{ path: 'model.bin', content: FILE }])
    fileCid = lines[lines.length - 1].Hash
  })
  after(async () => {
    await node?.cleanup()
  })

  it('POST /pins pins content the node holds (status pinned) and GET /pins lists it, by CID and name too', async () => {
    const res = await psa(node, '/pins', {
      method: 'POST',
      body: { cid: fileCid, name: 'model.bin', meta: { app: 'assay' } }
    })
    assert.equal(res.status, 202)
    assert.equal(res.json.status, 'pinned')
    assert.match(res.json.requestid, /^[0-9a-f-]{36}$/)
    assert.deepEqual(res.json.pin, { cid: fileCid, name: 'model.bin', meta: { app: 'assay' } })
    assert.ok(!Number.isNaN(Date.parse(res.json.created)))
    assert.deepEqual(res.json.delegates, [])

    const list = await psa(node, '/pins')
    assert.equal(list.status, 200)
    assert.equal(list.json.count, 1)
    assert.equal(list.json.results[0].requestid, res.json.requestid)
    assert.equal((await psa(node, `/pins?cid=${fileCid}`)).json.count, 1)
    assert.equal((await psa(node, '/pins?name=MODEL&match=ipartial')).json.count, 1)
    assert.equal((await psa(node, '/pins?name=other.bin')).json.count, 0)
    assert.equal((await psa(node, `/pins?meta=${encodeURIComponent('{"app":"assay"}')}`)).json.count, 1)
    const one = await psa(node, `/pins/${res.json.requestid}`)
    assert.equal(one.status, 200)
    assert.deepEqual(one.json, res.json)
  })

  it('a missing or wrong bearer token is refused with 401 UNAUTHORIZED, and nothing is pinned', async () => {
    for (const token of [null, 'wrong-token-123', `${TOKEN}x`]) {
      const res = await psa(node, '/pins', { method: 'POST', token, body: { cid: fileCid, name: 'intruder' } })
      assert.equal(res.status, 401, `token ${token}`)
      assert.equal(res.json.error.reason, 'UNAUTHORIZED')
      assert.match(res.json.error.details, token == null ? /access token is required/ : /not valid/)
      assert.equal((await psa(node, '/pins', { token })).status, 401)
    }
    assert.equal((await psa(node, '/pins?name=intruder')).json.count, 0)
  })

  it('absent content gives a pin request with status failed that names it; it is listed only under status=failed', async () => {
    const { results } = await importLocally(pseudoRandomBytes(2048, 99))
    const absent = results[results.length - 1].cid
    const res = await psa(node, '/pins', { method: 'POST', body: { cid: absent } })
    assert.equal(res.status, 202)
    assert.equal(res.json.status, 'failed')
    assert.match(res.json.info.status_details, new RegExp(`${absent} is not on this node`))
    assert.equal((await psa(node, `/pins?cid=${absent}`)).json.count, 0)
    const failed = await psa(node, `/pins?cid=${absent}&status=failed`)
    assert.equal(failed.json.count, 1)
    assert.equal(failed.json.results[0].requestid, res.json.requestid)
  })

  it('an incomplete DAG (root block only) fails, naming the missing block', async () => {
    const other = await startNode()
    try {
      const car = new Uint8Array(
        await (await fetch(`${node.url}/ipfs/${fileCid}?format=car&dag-scope=block`)).arrayBuffer()
      )
      assert.equal((await dagImport(other.url, car)).status, 200)
      await other.stop()
      const half = await startNode({ repo: other.repo, args: ['--pinning-token', TOKEN] })
      try {
        const res = await psa(half, '/pins', { method: 'POST', body: { cid: fileCid } })
        assert.equal(res.json.status, 'failed')
        assert.match(res.json.info.status_details, new RegExp(`block bafk[a-z2-7]+ of ${fileCid} is not on this node`))
      } finally {
        await half.stop()
      }
    } finally {
      await other.cleanup()
    }
  })

  it('bad requests are 400 BAD_REQUEST with the reason in words', async () => {
    const cases = [
      [{ method: 'POST', body: { name: 'x' } }, /"cid" is required/],
      [{ method: 'POST', body: { cid: 'not-a-cid' } }, /"cid" is not a valid CID: not-a-cid/],
      [{ method: 'POST', body: '{oops' }, /not JSON/],
      [{ method: 'POST', body: [fileCid] }, /must be a Pin object/],
      [{ method: 'POST', body: { cid: fileCid, meta: { n: 1 } } }, /"meta" must be an object of strings/]
    ]
    for (const [options, message] of cases) {
      const res = await psa(node, '/pins', options)
      assert.equal(res.status, 400, JSON.stringify(options))
      assert.equal(res.json.error.reason, 'BAD_REQUEST')
      assert.match(res.json.error.details, message)
    }
    for (const [query, message] of [
      ['limit=0', /"limit" must be an integer from 1 to 1000/],
      ['status=done', /"status" must be among/],
      ['before=yesterday', /ISO 8601/],
      ['match=fuzzy', /"match" must be/]
    ]) {
      const res = await psa(node, `/pins?${query}`)
      assert.equal(res.status, 400, query)
      assert.match(res.json.error.details, message)
    }
    assert.equal((await psa(node, '/pins/00000000-0000-0000-0000-000000000000')).status, 404)
    assert.equal((await psa(node, '/pins/..%2F..%2Fetc%2Fpasswd')).status, 404)
  })

  it('pins survive a restart; DELETE removes the request', async () => {
    const created = await psa(node, '/pins', { method: 'POST', body: { cid: fileCid, name: 'second' } })
    await node.stop()
    const first = node
    const again = await startNode({ repo: first.repo, args: ['--pinning-token', TOKEN] })
    node = {
      ...again,
      cleanup: async () => {
        await again.stop()
        await first.cleanup()
      }
    }
    const listed = await psa(again, '/pins?name=second')
    assert.equal(listed.json.count, 1)
    assert.equal(listed.json.results[0].requestid, created.json.requestid)
    const del = await psa(again, `/pins/${created.json.requestid}`, { method: 'DELETE' })
    assert.equal(del.status, 202)
    assert.equal((await psa(again, `/pins/${created.json.requestid}`)).status, 404)
    assert.equal((await psa(again, '/pins?name=second')).json.count, 0)
    // The first pin of the same CID is still there.
    assert.equal((await psa(again, `/pins?cid=${fileCid}`)).json.count, 1)
  })

  it("DELETE unpins what only the PSA pinned, and keeps a pin the Kubo RPC asked for (add's pin, pin/add)", async () => {
    /** How the Kubo RPC's pin/ls sees `cid`: its type, or the error message. */
    async function pinType(cid) {
      const res = await fetch(`${node.url}/api/v0/pin/ls?arg=${cid}`, { method: 'POST' })
      const body = await res.json()
      return res.status === 200 ? body.Keys[cid].Type : body.Message
    }
    async function pinThenDelete(cid) {
      const created = await psa(node, '/pins', { method: 'POST', body: { cid } })
      assert.equal(created.json.status, 'pinned')
      assert.equal(await pinType(cid), 'recursive')
      assert.equal((await psa(node, `/pins/${created.json.requestid}`, { method: 'DELETE' })).status, 202)
    }
    const [psaOnly] = await add(node.url, [{ path: 'a.bin', content: pseudoRandomBytes(5000, 21) }], { pin: 'false' })
    assert.equal(await pinType(psaOnly.Hash), `path '${psaOnly.Hash}' is not pinned`)
    await pinThenDelete(psaOnly.Hash)
    assert.equal(await pinType(psaOnly.Hash), `path '${psaOnly.Hash}' is not pinned`)

    const [added] = await add(node.url, [{ path: 'b.bin', content: pseudoRandomBytes(5000, 22) }]) // pin=true
    await pinThenDelete(added.Hash)
    assert.equal(await pinType(added.Hash), 'recursive')

    // the PSA first, then the Kubo RPC's pin/add of the same CID
    const [later] = await add(node.url, [{ path: 'c.bin', content: pseudoRandomBytes(5000, 23) }], { pin: 'false' })
    const created = await psa(node, '/pins', { method: 'POST', body: { cid: later.Hash } })
    const pinned = await fetch(`${node.url}/api/v0/pin/add?arg=${later.Hash}`, { method: 'POST' })
    assert.deepEqual(await pinned.json(), { Pins: [later.Hash] })
    await psa(node, `/pins/${created.json.requestid}`, { method: 'DELETE' })
    assert.equal(await pinType(later.Hash), 'recursive')
  })

  it('CORS lets a browser app send the bearer token; without --pinning-token the API is absent', async () => {
    const pre = await fetch(`${node.url}/psa/pins`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type'
      }
    })
    assert.equal(pre.status, 204)
    assert.match(pre.headers.get('access-control-allow-headers'), /Authorization/)
    assert.match(pre.headers.get('access-control-allow-methods'), /DELETE/)
    const plain = await startNode()
    try {
      const res = await psa(plain, '/pins', { method: 'POST', body: { cid: fileCid } })
      assert.equal(res.status, 404)
      assert.match(res.json.error.details, /--pinning-token/)
    } finally {
      await plain.cleanup()
    }
  })
})
