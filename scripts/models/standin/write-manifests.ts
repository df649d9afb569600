/** Writes manifest.json for each stand-in model, with the same code that verifies real models. */
import fs from 'node:fs';
import path from 'node:path';
import { emotionModelFiles } from '../../../lib/models/files';
import { sha256File, writeManifest } from '../../../lib/models/manifest';

const NOTE =
  'Random-weight stand-in with the real architecture and tokenizer: for timing only, its labels mean nothing.';

async function main(out: string, llamaCpp: string) {
  const emotionDir = path.join(out, 'emotion-distilroberta');
  // Both dtypes: the app's own list of what each needs, so the manifest can't miss a file it checks.
  const emotionFiles = [...new Set([...emotionModelFiles('fp32'), ...emotionModelFiles('q8')])];
  const extra = ['special_tokens_map.json'].filter((f) => fs.existsSync(path.join(emotionDir, f)));
  const emotionRev = (await sha256File(path.join(emotionDir, 'onnx/model.onnx'))).slice(0, 12);
  await writeManifest(
    emotionDir,
    {
      model: 'standin/emotion-english-distilroberta-base',
      revision: `standin-${emotionRev}`,
      source: 'scripts/models/standin.sh (export_emotion.py)',
      notes: NOTE,
    },
    [...emotionFiles, ...extra],
  );

  const stanceDir = path.join(out, 'stance-tinyllama');
  const gguf = fs.readdirSync(stanceDir).filter((f) => f.endsWith('.gguf'));
  const stanceRev = (await sha256File(path.join(stanceDir, gguf[0]!))).slice(0, 12);
  await writeManifest(
    stanceDir,
    {
      model: 'standin/tinyllama-1.1b-chat-v1.0.Q4_K_M',
      revision: `standin-${stanceRev}`,
      source: `scripts/models/standin.sh (llama-quantize from ${llamaCpp})`,
      notes: NOTE,
    },
    gguf,
  );
  console.log(`manifests written under ${out}`);
}

main(process.argv[2] ?? 'models/standin', process.argv[3] ?? 'llama.cpp').catch((e) => {
  console.error(e);
  process.exit(1);
});
