"""Writes a random-weight stand-in for j-hartmann/emotion-english-distilroberta-base, in the layout
`save_pretrained` gives the real repo: config.json, model.safetensors and the tokenizer files. It is then
exported by the project's own scripts/models/export_emotion.py, exactly like the real weights.

Same shapes as the real model (so the same cost per tweet): distilroberta-base's configuration and the real
7-label id2label. The tokenizer is GPT-2's byte-level BPE (read from llama.cpp's ggml-vocab-gpt-2.gguf) with
RoBERTa's special tokens: tokens per tweet equal the real tokenizer's, ids may differ. Labels mean nothing.

usage: python make_emotion_standin.py OUT_DIR GPT2_VOCAB_GGUF
"""
import sys

import torch
from gguf import GGUFReader
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors
from transformers import RobertaConfig, RobertaForSequenceClassification, RobertaTokenizerFast

SEED = 20261125
LABELS = ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"]  # the real model's order
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]  # RoBERTa's ids 0..3; <mask> is the last id


def gguf_strings(reader: GGUFReader, key: str) -> list[str]:
    field = reader.fields[key]
    return [bytes(field.parts[i]).decode("utf-8") for i in field.data]


def build_tokenizer(vocab_gguf: str) -> RobertaTokenizerFast:
    reader = GGUFReader(vocab_gguf)
    tokens, merges = gguf_strings(reader, "tokenizer.ggml.tokens"), gguf_strings(reader, "tokenizer.ggml.merges")
    assert len(tokens) == 50257 and len(merges) == 50000, (len(tokens), len(merges))
    vocab = {t: i for i, t in enumerate(SPECIALS)}
    for t in tokens:
        if t != "<|endoftext|>":  # GPT-2's only special token; RoBERTa has its own
            vocab.setdefault(t, len(vocab))
    for i in range(len(vocab), 50264):  # fairseq's filler entries, so the ids have no holes
        vocab[f"madeupword{i - len(tokens) - 3:04d}"] = i
    vocab["<mask>"] = 50264
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ")) for m in merges]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.RobertaProcessing(sep=("</s>", 2), cls=("<s>", 0), trim_offsets=True, add_prefix_space=False)
    tok.add_special_tokens(SPECIALS + [AddedToken("<mask>", lstrip=True)])
    return RobertaTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>", unk_token="<unk>",
        pad_token="<pad>", mask_token=AddedToken("<mask>", lstrip=True), model_max_length=512,
    )


def build_model() -> RobertaForSequenceClassification:
    # distilroberta-base's config.json as fine-tuned by j-hartmann (6 layers, 768 hidden, 12 heads).
    config = RobertaConfig(
        vocab_size=50265, hidden_size=768, num_hidden_layers=6, num_attention_heads=12, intermediate_size=3072,
        max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, hidden_act="gelu", initializer_range=0.02, problem_type="single_label_classification",
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
        architectures=["RobertaForSequenceClassification"],
    )
    torch.manual_seed(SEED)
    return RobertaForSequenceClassification(config).eval()


def main(out: str, vocab_gguf: str) -> None:
    tokenizer = build_tokenizer(vocab_gguf)
    tokenizer.save_pretrained(out)
    model = build_model()
    model.save_pretrained(out, safe_serialization=True)
    sample = "Proud of our city council for finally passing the housing bill! #Housing"
    print(f"emotion stand-in: {sum(p.numel() for p in model.parameters()):,} parameters, "
          f"'{sample}' -> {len(tokenizer(sample)['input_ids'])} tokens -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
