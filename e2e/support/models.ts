/**
 * The model files the specs list and try: `inference/models/setup.py` (run by `cargo xtask`)
 * puts them in `$ASSAY_MODELS`, else `$ASSAY_TOOLS/models`, else `~/.cache/assay/models`; the
 * cards are the repository's.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const MODELS_DIR =
  process.env.ASSAY_MODELS ?? join(process.env.ASSAY_TOOLS ?? join(homedir(), '.cache', 'assay'), 'models');
export const DIGITS = join(MODELS_DIR, 'digits.onnx');
/** A smaller model with digits.onnx's inputs and outputs (the public trial file of an encrypted listing). */
export const DIGITS_SMALL = join(MODELS_DIR, 'digits-small.onnx');
export const DIGITS_CARD = join(REPO, 'inference/cards/digits.json');
