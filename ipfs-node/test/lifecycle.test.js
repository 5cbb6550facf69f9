import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { add, MAIN, PUBLISH_DIR, startNode, tempDir } from './helpers.js'

/** Run a command to completion. */
function run(args) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d) => {
      stdout += d
    })
    proc.stderr.on('data', (d) => {
      stderr += d
    })
    proc.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('node lifecycle', () => {
  it('prints one ready line, and exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT']) {
      const node = await startNode()
      const res = await fetch(`${node.url}/api/v0/version`, { method: 'POST' })
      assert.equal(res.status, 200)
      node.proc.kill(signal)
      assert.equal(await node.stop(), 0, `exit code after ${signal}`)
      await node.cleanup()
    }
  })

  it('content persists across a restart on the same repo', async () => {
    const repo = await tempDir()
    try {
      const first = await startNode({ repo })
      const [line] = await add(first.url, [{ path: 'keep.txt', content: new TextEncoder().encode('still here') }])
      assert.equal(await first.stop(), 0)

      const second = await startNode({ repo })
      try {
        const res = await fetch(`${second.url}/ipfs/${line.Hash}`)
        assert.equal(res.status, 200)
        assert.equal(await res.text(), 'still here')
      } finally {
        await second.stop()
      }
    } finally {
      await rm(repo, { recursive: true, force: true })
    }
  })

  it('a port in use makes it exit 1 with a clear message', async () => {
    const blocker = createServer()
    await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address()
    const repo = await tempDir()
    try {
      const { code, stdout, stderr } = await run([MAIN, '--host', '127.0.0.1', '--port', String(port), '--repo', repo])
      assert.equal(code, 1)
      assert.equal(stdout, '')
      assert.match(stderr, new RegExp(`port ${port} .*already in use`))
    } finally {
      blocker.close()
      await rm(repo, { recursive: true, force: true })
    }
  })

  it('missing --repo is an error (exit 1)', async () => {
    const { code, stderr } = await run([MAIN, '--port', '0'])
    assert.equal(code, 1)
    assert.match(stderr, /--repo is required/)
  })
})

describe('publish-dir.js', () => {
  it('prints only the root CID, and /ipfs/<cid>/index.html serves the file', async () => {
    const node = await startNode()
    const dir = await tempDir('assay-dist-')
    try {
      await mkdir(join(dir, 'assets', 'img'), { recursive: true })
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>Assay</title>')
      await writeFile(join(dir, 'assets', 'app.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))
      await writeFile(join(dir, 'assets', 'img', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
      await mkdir(join(dir, 'empty'))

      const { code, stdout, stderr } = await run([PUBLISH_DIR, dir, '--api', node.url])
      assert.equal(code, 0, stderr)
      assert.match(stdout, /^bafybei[a-z2-7]+\n$/)
      const cid = stdout.trim()

      const index = await fetch(`${node.url}/ipfs/${cid}/index.html`)
      assert.equal(index.status, 200)
      assert.equal(await index.text(), '<!doctype html><title>Assay</title>')
      const wasm = await fetch(`${node.url}/ipfs/${cid}/assets/app.wasm`)
      assert.equal(wasm.headers.get('content-type'), 'application/wasm')
      await wasm.arrayBuffer()
      const svg = await fetch(`${node.url}/ipfs/${cid}/assets/img/logo.svg`)
      assert.equal(svg.headers.get('content-type'), 'image/svg+xml')
      await svg.arrayBuffer()
      const empty = await fetch(`${node.url}/ipfs/${cid}/empty/`)
      assert.equal(empty.status, 200)
      await empty.arrayBuffer()

      // same tree uploaded by name gives the same root: the root is the directory itself
      const again = await run([PUBLISH_DIR, dir, '--api', node.url])
      assert.equal(again.stdout, stdout)
    } finally {
      await node.cleanup()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('fails with exit 1 and a message for a missing directory', async () => {
    const { code, stdout, stderr } = await run([PUBLISH_DIR, '/definitely/not/here', '--api', 'http://127.0.0.1:1'])
    assert.equal(code, 1)
    assert.equal(stdout, '')
    assert.match(stderr, /not a directory/)
  })
})
