// Starts the tract worker: loads wasm-bindgen's no-modules glue and the wasm beside this file.
// A wasm that fails to start is reported to the page as the answer to id 0 (the page would
// otherwise only notice by its start timeout: a rejected promise in a worker fires no `error`).
importScripts('./assay-tract-worker.js');
wasm_bindgen({ module_or_path: './assay-tract-worker_bg.wasm' }).catch((error) => {
  postMessage({ json: JSON.stringify({ id: 0, body: { type: 'failed', message: String(error && error.message || error) } }) });
  close();
});
