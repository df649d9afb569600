/**
 * The model step (`npm run models`, and the `models` container): fetches the real weights from the hub,
 * verifies them, exports the emotion model to ONNX and writes the manifests that loading checks.
 * HF_ENDPOINT points at a mirror, HF_TOKEN (or HF_HOME/token) authenticates, MODELS_DIR says where,
 * HF_HUB_OFFLINE=1 (or a hub that does not answer) makes verified local files enough.
 */
import path from 'node:path';
import { config } from '../../lib/config';
import { modelFilesStatus } from '../../lib/models/files';
import { HubClient } from '../../lib/models/hub';
import { cli, run } from '../lib/cli';
import { progressReporter } from '../lib/download-progress';
import { fetchEmotionModel, fetchStanceModel, loadModelsSpec } from './model-step';

const USAGE = `usage: npm run models -- [emotion|stance] [--if-missing]
  Fetches, verifies and (emotion) exports the model files into MODELS_DIR (default models/).
  emotion|stance   only this model (default both)
  --if-missing     do nothing for a model whose files are already in place (npm start uses this)
  -h, --help       this text`;

async function main() {
  const { values, positionals } = cli({ usage: USAGE, options: { 'if-missing': { type: 'boolean' } }, maxPositionals: 1 });
  const only = positionals[0];
  if (only && !['emotion', 'stance'].includes(only)) throw new Error(`unknown model "${only}": use emotion or stance`);
  const cfg = config();
  const present = await modelFilesStatus(cfg);
  const wanted = (['emotion', 'stance'] as const).filter((m) => (!only || only === m) && !(values['if-missing'] && present[m].present));
  if (wanted.length === 0) return console.log('models: files in place, nothing to do');

  const spec = loadModelsSpec();
  // Bars on a terminal; plain lines under compose or a pipe. Every message reaches the user either way.
  const { onProgress, log, stop } = progressReporter();
  const options = { modelsDir: cfg.modelsDir, hub: new HubClient(), offline: cfg.hub.offline, onProgress, log };
  // One model failing (e.g. no Python for the emotion export) does not keep the other from being fetched.
  const steps = {
    emotion: async () => {
      const m = await fetchEmotionModel(spec.emotion, options);
      log(`emotion: ${m.model}@${m.revision} ready in ${path.join(cfg.modelsDir, spec.emotion.dir)}`);
    },
    stance: async () => {
      const m = await fetchStanceModel(spec.stance, options);
      log(`stance: ${m.revision} ready in ${path.join(cfg.modelsDir, spec.stance.dir)}`);
    },
  };
  const failed: string[] = [];
  for (const model of wanted) {
    await steps[model]().catch((error: Error) => failed.push(`${model}: ${error.message}`));
  }
  stop();
  if (failed.length) throw new Error(failed.join('\n'));
}

run('model step', main);
