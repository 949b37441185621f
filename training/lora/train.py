"""Train a LoRA adapter on chat tool-call examples, merge it into the base model, and save the merged model.

Runs inside a SageMaker training job on the Hugging Face PyTorch training image, started by the fine-tuning state
machine through the sagemaker_program and sagemaker_submit_directory hyperparameters. Reads:

- /opt/ml/input/config/hyperparameters.json: base_model (a model hub id; absent when the base model comes through
  the model channel), epoch, learning_rate, per_device_train_batch_size, lora_r, lora_alpha, lora_dropout,
  target_modules (comma-separated) and max_input_length, as LoraTrainingSpec renders them;
- the train channel (and the optional validation and model channels): *.jsonl files of
  {"id", "messages": [..., {"role": "assistant", "tool_calls": [...]}], "tools": [...]}, as the export task writes.

Writes the merged model to /opt/ml/model in bf16 safetensors with config.json, the tokenizer files and the chat
template inside tokenizer_config.json, the layout Bedrock Custom Model Import reads. With CompressionType NONE the
files land in S3 as they are.

The loss covers the completion only: prompt tokens (system text, turns and tools, as the chat template renders
them with add_generation_prompt=True) get label -100.
"""

import glob
import json
import logging
import os
import sys

LOG = logging.getLogger("tuneladder.train")

HYPERPARAMETERS_FILE = "/opt/ml/input/config/hyperparameters.json"
IGNORED_LABEL = -100


def read_hyperparameters(path=HYPERPARAMETERS_FILE):
    """Return the job's hyperparameters as strings.

    SageMaker stores every value as a string. The SageMaker Python SDK JSON-encodes values, so a value may arrive
    as '"train.py"'; such a value is decoded once, and any other value is kept as it is.
    """
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    values = {}
    for key, value in raw.items():
        if isinstance(value, str) and len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = json.loads(value)
        values[key] = str(value)
    return values


def read_examples(folder):
    """Return the examples of every *.jsonl file in folder, in file and line order."""
    files = sorted(glob.glob(os.path.join(folder, "*.jsonl")))
    if not files:
        raise SystemExit(f"no .jsonl files in {folder}; run the export task and the training-inputs preflight")
    examples = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    examples.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number} is not valid JSON ({error.msg}); export the data again")
    return examples


def encode(example, tokenizer, max_length):
    """Return input_ids and labels for one example, or None when its prompt alone fills max_length."""
    messages = example["messages"]
    tools = example.get("tools") or None
    prompt = tokenizer.apply_chat_template(messages[:-1], tools=tools, add_generation_prompt=True, tokenize=False)
    full = tokenizer.apply_chat_template(messages, tools=tools, tokenize=False)
    if not full.startswith(prompt):
        raise SystemExit(f"example {example.get('id')}: the chat template renders the prompt differently with and"
                         " without the completion, so the completion cannot be separated; use a base model whose"
                         " template supports tool calls")
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    completion_ids = tokenizer(full[len(prompt):], add_special_tokens=False)["input_ids"]
    if len(prompt_ids) >= max_length:
        return None
    input_ids = (prompt_ids + completion_ids)[:max_length]
    labels = ([IGNORED_LABEL] * len(prompt_ids) + completion_ids)[:max_length]
    return {"input_ids": input_ids, "labels": labels}


def encode_all(examples, tokenizer, max_length, name):
    encoded = []
    for example in examples:
        item = encode(example, tokenizer, max_length)
        if item is not None:
            encoded.append(item)
    dropped = len(examples) - len(encoded)
    LOG.info("%s: %d examples encoded, %d dropped because the prompt alone exceeds %d tokens",
             name, len(encoded), dropped, max_length)
    if not encoded:
        raise SystemExit(f"no {name} example fits in max_input_length={max_length}; raise maxSequenceLength")
    return encoded


class PaddingCollator:
    """Pads input_ids with the pad token and labels with -100 to the longest item of the batch."""

    def __init__(self, pad_token_id):
        self.pad_token_id = pad_token_id

    def __call__(self, batch):
        import torch

        longest = max(len(item["input_ids"]) for item in batch)
        input_ids, labels, attention = [], [], []
        for item in batch:
            padding = longest - len(item["input_ids"])
            input_ids.append(item["input_ids"] + [self.pad_token_id] * padding)
            labels.append(item["labels"] + [IGNORED_LABEL] * padding)
            attention.append([1] * len(item["input_ids"]) + [0] * padding)
        return {"input_ids": torch.tensor(input_ids), "labels": torch.tensor(labels),
                "attention_mask": torch.tensor(attention)}


def embed_chat_template(model_dir, tokenizer):
    """Write the chat template into tokenizer_config.json, where InvokeModel's OpenAI chat format reads it.

    Recent transformers versions save the template as chat_template.jinja instead.
    """
    path = os.path.join(model_dir, "tokenizer_config.json")
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    if not config.get("chat_template") and tokenizer.chat_template:
        config["chat_template"] = tokenizer.chat_template
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2, ensure_ascii=False)


def main():
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(asctime)s %(levelname)s %(message)s")
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments

    settings = read_hyperparameters()
    base_model = settings.get("base_model") or os.environ.get("SM_CHANNEL_MODEL")
    if not base_model:
        raise SystemExit("neither the base_model hyperparameter nor the model channel is set")
    max_length = int(settings["max_input_length"])
    model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")

    tokenizer = AutoTokenizer.from_pretrained(base_model)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    train = encode_all(read_examples(os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train")),
                       tokenizer, max_length, "train")
    validation_folder = os.environ.get("SM_CHANNEL_VALIDATION")
    validation = None
    if validation_folder and os.path.isdir(validation_folder):
        validation = encode_all(read_examples(validation_folder), tokenizer, max_length, "validation")

    model = AutoModelForCausalLM.from_pretrained(base_model, torch_dtype=torch.bfloat16)
    lora = LoraConfig(r=int(settings["lora_r"]), lora_alpha=int(settings["lora_alpha"]),
                      lora_dropout=float(settings["lora_dropout"]),
                      target_modules=settings["target_modules"].split(","), task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    model.print_trainable_parameters()

    arguments = TrainingArguments(
        output_dir="/tmp/lora-checkpoints",
        num_train_epochs=float(settings["epoch"]),
        learning_rate=float(settings["learning_rate"]),
        per_device_train_batch_size=int(settings["per_device_train_batch_size"]),
        per_device_eval_batch_size=int(settings["per_device_train_batch_size"]),
        bf16=True,
        logging_steps=10,
        save_strategy="no",
        eval_strategy="epoch" if validation else "no",
        report_to=[],
        remove_unused_columns=False,
    )
    trainer = Trainer(model=model, args=arguments, train_dataset=train, eval_dataset=validation,
                      data_collator=PaddingCollator(tokenizer.pad_token_id))
    trainer.train()

    # Custom Model Import takes full weights, not an adapter: fold the LoRA update into the base weights.
    merged = trainer.model.merge_and_unload()
    merged.to(torch.bfloat16)
    merged.save_pretrained(model_dir, safe_serialization=True)
    tokenizer.save_pretrained(model_dir)
    embed_chat_template(model_dir, tokenizer)
    LOG.info("merged model saved to %s: %s", model_dir, sorted(os.listdir(model_dir)))


if __name__ == "__main__":
    main()
