import path from 'node:path';
import type { Config } from '../config';
import { verifyModelFiles } from './manifest';

/** The files each model needs, relative to its folder. */
export const emotionModelFiles = (dtype: 'fp32' | 'q8') => [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  dtype === 'q8' ? 'onnx/model_quantized.onnx' : 'onnx/model.onnx',
];

export const FETCH_HINT = 'Fetch and verify the model files with `npm run models` (or `docker compose run --rm models`).';

export interface ModelFilesStatus {
  present: boolean;
  path: string;
  revision?: string;
  problem?: string;
}

async function status(dir: string, required: string[], shown: string): Promise<ModelFilesStatus> {
  try {
    const manifest = await verifyModelFiles(dir, required, { hash: false });
    return { present: true, path: shown, revision: manifest.revision };
  } catch (error) {
    return { present: false, path: shown, problem: (error as Error).message };
  }
}

/** Cheap presence check (sizes, no hashing) for /health; loading does the full sha256 check. */
export async function modelFilesStatus(cfg: Config): Promise<Record<'emotion' | 'stance', ModelFilesStatus>> {
  const [emotion, stance] = await Promise.all([
    status(cfg.emotion.dir, emotionModelFiles(cfg.emotion.dtype), cfg.emotion.dir),
    status(path.dirname(cfg.stance.path), [path.basename(cfg.stance.path)], cfg.stance.path),
  ]);
  return { emotion, stance };
}
