import fs from 'node:fs';
import path from 'node:path';

/**
 * Forward-pass FLOPs of a BERT-style encoder on one text of `tokens` tokens, without padding (a multiply-add
 * is 2 FLOPs): per layer the Q/K/V/O projections, the feed-forward pair and the two attention products,
 * plus the classification head on the first token. The work the model must do, whatever the runtime.
 */
export function encoderFlops(
  tokens: number,
  cfg: { hidden: number; ff: number; layers: number; labels: number },
): number {
  const { hidden: h, ff, layers } = cfg;
  const perLayer = 8 * tokens * h * h + 4 * tokens * h * ff + 4 * tokens * tokens * h;
  return layers * perLayer + 2 * h * h + 2 * h * cfg.labels;
}

export function encoderShape(modelDir: string) {
  const c = JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  return {
    hidden: c.hidden_size,
    ff: c.intermediate_size,
    layers: c.num_hidden_layers,
    labels: Object.keys(c.id2label ?? {}).length,
  };
}
