/**
 * Evaluation sets for the specs: scikit-learn's held-out digits (rows 1,500–1,796, never used to
 * train digits.onnx) written as a bundle folder by `inference/tests/evaluation_bundle.py`, with
 * the venv's Python the installer made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './models';

const tools = process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay');
export const python = process.env.ASSAY_PYTHON ?? join(tools, 'py', 'bin', 'python');

export type BundleManifest = { samples: number; arrays: { name: string; file: string; shape: number[] }[] };

/** The held-out digits as a folder: its manifest, and the paths of the manifest and its arrays (what a creator drops). */
export function heldOutDigitsFolder(): { dir: string; manifest: BundleManifest; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'assay-bundle-'));
  execFileSync(python, [join(REPO, 'inference/tests/evaluation_bundle.py'), dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
  return { dir, manifest, paths: [join(dir, 'manifest.json'), ...manifest.arrays.map((a) => join(dir, a.file))] };
}
