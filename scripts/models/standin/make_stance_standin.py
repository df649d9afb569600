"""Writes an F16 GGUF with TinyLlama-1.1B-Chat-v1.0's exact architecture, random weights (fixed seed), the
real Llama SentencePiece vocabulary (32,000 pieces with scores, read from llama.cpp's
ggml-vocab-llama-spm.gguf) and TinyLlama's chat template. standin.sh then quantises it to Q4_K_M with
llama.cpp's own llama-quantize, so its tensor types match the file users download. Labels mean nothing.

usage: python make_stance_standin.py OUT_GGUF LLAMA_SPM_VOCAB_GGUF
"""
import sys

import numpy as np
from gguf import GGUFReader, GGUFWriter, LlamaFileType

SEED = 20261125
N_VOCAB, N_EMBD, N_FF, N_LAYER, N_HEAD, N_HEAD_KV, CTX = 32000, 2048, 5632, 22, 32, 4, 2048
HEAD_DIM = N_EMBD // N_HEAD
# TinyLlama/TinyLlama-1.1B-Chat-v1.0's tokenizer_config.json chat_template (as in the test fixture).
CHAT_TEMPLATE = (
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}"
)


def read_vocab(path: str):
    fields = GGUFReader(path).fields
    tokens = [bytes(fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8") for i in fields["tokenizer.ggml.tokens"].data]
    scores = [float(fields["tokenizer.ggml.scores"].parts[i][0]) for i in fields["tokenizer.ggml.scores"].data]
    types = [int(fields["tokenizer.ggml.token_type"].parts[i][0]) for i in fields["tokenizer.ggml.token_type"].data]
    assert len(tokens) == N_VOCAB, len(tokens)
    return tokens, scores, types


def add_header(g: GGUFWriter, vocab_path: str) -> None:
    g.add_name("TinyLlama-1.1B-Chat-v1.0 stand-in (random weights)")
    g.add_context_length(CTX)
    g.add_embedding_length(N_EMBD)
    g.add_block_count(N_LAYER)
    g.add_feed_forward_length(N_FF)
    g.add_head_count(N_HEAD)
    g.add_head_count_kv(N_HEAD_KV)
    g.add_rope_dimension_count(HEAD_DIM)
    g.add_rope_freq_base(10000.0)
    g.add_layer_norm_rms_eps(1e-5)
    g.add_file_type(LlamaFileType.MOSTLY_F16)
    tokens, scores, types = read_vocab(vocab_path)
    g.add_tokenizer_model("llama")
    g.add_token_list(tokens)
    g.add_token_scores(scores)
    g.add_token_types(types)
    g.add_bos_token_id(1)
    g.add_eos_token_id(2)
    g.add_unk_token_id(0)
    g.add_pad_token_id(2)
    g.add_add_bos_token(True)
    g.add_add_eos_token(False)
    g.add_chat_template(CHAT_TEMPLATE)


def add_tensors(g: GGUFWriter) -> None:
    rng = np.random.default_rng(SEED)
    w = lambda *shape: (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float16)
    ones = lambda n: np.ones(n, dtype=np.float32)  # norms stay F32, as llama.cpp's converter writes them
    kv = N_HEAD_KV * HEAD_DIM
    g.add_tensor("token_embd.weight", w(N_VOCAB, N_EMBD))
    for i in range(N_LAYER):
        g.add_tensor(f"blk.{i}.attn_norm.weight", ones(N_EMBD))
        g.add_tensor(f"blk.{i}.attn_q.weight", w(N_EMBD, N_EMBD))
        g.add_tensor(f"blk.{i}.attn_k.weight", w(kv, N_EMBD))
        g.add_tensor(f"blk.{i}.attn_v.weight", w(kv, N_EMBD))
        g.add_tensor(f"blk.{i}.attn_output.weight", w(N_EMBD, N_EMBD))
        g.add_tensor(f"blk.{i}.ffn_norm.weight", ones(N_EMBD))
        g.add_tensor(f"blk.{i}.ffn_gate.weight", w(N_FF, N_EMBD))
        g.add_tensor(f"blk.{i}.ffn_up.weight", w(N_FF, N_EMBD))
        g.add_tensor(f"blk.{i}.ffn_down.weight", w(N_EMBD, N_FF))
    g.add_tensor("output_norm.weight", ones(N_EMBD))
    g.add_tensor("output.weight", w(N_VOCAB, N_EMBD))


def main(out: str, vocab_path: str) -> None:
    g = GGUFWriter(out, "llama")
    add_header(g, vocab_path)
    add_tensors(g)
    g.write_header_to_file()
    g.write_kv_data_to_file()
    g.write_tensors_to_file()
    g.close()
    print(f"stance stand-in (F16): {N_LAYER} blocks x {N_EMBD}, ff {N_FF}, heads {N_HEAD}/{N_HEAD_KV}, vocab {N_VOCAB} -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
