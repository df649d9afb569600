/**
 * The model step (`npm run models`, and the `models` container): fetches the real weights from the hub,
 * verifies them, exports the emotion model to ONNX and writes the manifests that loading checks.
 *   npm run models                 # both models
 *   npm run models -- stance       # one of them
 * HF_ENDPOINT points at a mirror, HF_TOKEN authenticates, MODELS_DIR says where (default models/).
 */
import path from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import { HubClient } from '../../lib/models/hub';
import { fetchEmotionModel, fetchStanceModel, loadModelsSpec } from './model-step';

async function main() {
  const only = process.argv[2];
  if (only && !['emotion', 'stance'].includes(only)) throw new Error(`unknown model "${only}": use emotion or stance`);
  const modelsDir = path.resolve(process.env.MODELS_DIR ?? 'models');
  const spec = loadModelsSpec();
  const hub = new HubClient();
  const bars = new MultiBar({ format: ' {file} [{bar}] {percentage}% {value}/{total} MB', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  const active = new Map<string, ReturnType<MultiBar['create']>>();
  const onProgress = ({ file, received, total }: { file: string; received: number; total: number }) => {
    const mb = (n: number) => Math.round(n / 1e5) / 10;
    if (!active.has(file)) active.set(file, bars.create(mb(total), 0, { file }));
    active.get(file)!.update(mb(received), { file });
  };
  const log = (line: string) => bars.log(line + '\n');

  if (!only || only === 'emotion') {
    const m = await fetchEmotionModel(spec.emotion, { modelsDir, hub, onProgress, log });
    log(`emotion: ${m.model}@${m.revision} ready in ${path.join(modelsDir, spec.emotion.dir)}`);
  }
  if (!only || only === 'stance') {
    const m = await fetchStanceModel(spec.stance, { modelsDir, hub, onProgress, log });
    log(`stance: ${m.revision} ready in ${path.join(modelsDir, spec.stance.dir)}`);
  }
  bars.stop();
}

main().catch((error) => {
  console.error(`model step failed: ${(error as Error).message}`);
  process.exit(1);
});
