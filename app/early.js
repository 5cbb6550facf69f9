// Browse's first requests, sent from index.html while the app's wasm downloads and compiles, so
// that a first visit does not wait for the app to start before asking: the IPFS module (imported,
// its cache opened, as app/src/ipfs/glue.rs would at the start), the configuration, then,
// when it names an indexer and the view is Browse, the indexer's block and the catalogue's size,
// and for Browse's default view (no query in the URL) its first page. The app takes each answer
// once, by the URL it would have asked (app/src/early.rs), and asks again itself for anything
// not here, or for the indexer's answers sent more than 5 s before; it trusts an early answer no
// more than its own (the indexer's freshness is checked against the chain as always). The
// addresses, the deadline and its words are core's (`indexer::page_params` for the default query,
// `indexer::TIMEOUT`), which a test of the task runner holds this file to (xtask/src/app_wasm.rs).
;(() => {
  const DEFAULT_PAGE = '/api/models?offset=0&limit=48&sort=newest&delisted=exclude'
  const requests = new Map()
  window.assayEarly = requests
  const ask = (url, signal) => {
    const answer = fetch(url, { signal }).then(
      async (r) => ({ status: r.status, statusText: r.statusText, text: await r.text() }),
      // The words the app's own request would give (core's `indexer::no_answer`).
      (e) => ({ failed: e?.name === 'TimeoutError' ? 'no answer within 4 s' : String(e?.message ?? e) })
    )
    requests.set(url, { at: performance.now(), answer })
    return answer
  }
  // The IPFS module, and its cache opened (every page reads listings' cards from IPFS).
  import('./assay-ipfs.js').then(
    (ipfs) => ipfs.warmUp(),
    () => {}
  )
  const view = location.hash
  const defaultView = view === '' || view === '#' || view === '#/'
  const browse = defaultView || view.startsWith('#/?')
  ask('config.json').then(({ status, text }) => {
    if (!browse || status !== 200) return
    let base
    try {
      base = JSON.parse(text).indexerUrl
    } catch {
      return
    }
    if (typeof base !== 'string' || base === '') return
    base = base.replace(/\/+$/, '')
    const signal = AbortSignal.timeout(4000)
    ask(`${base}/status`, signal)
    ask(`${base}/api/models?offset=0&limit=1&delisted=include`, signal)
    if (defaultView) ask(base + DEFAULT_PAGE, signal)
  })
})()
