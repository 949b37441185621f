"""Tests of train.py's data handling, runnable without torch: python3 -m unittest test_train (from this folder)."""

import json
import os
import tempfile
import unittest

import train


class CharacterTokenizer:
    """Renders messages as 'role:content' lines and tokenizes one token per character."""

    def apply_chat_template(self, messages, tools=None, add_generation_prompt=False, tokenize=False):
        lines = []
        for message in messages:
            content = message.get("content") or json.dumps(message.get("tool_calls"))
            lines.append(f"{message['role']}:{content}\n")
        if add_generation_prompt:
            lines.append("assistant:")
        return "".join(lines)

    def __call__(self, text, add_special_tokens=False):
        return {"input_ids": [ord(character) for character in text]}


EXAMPLE = {"id": "b77-1", "tools": [{"type": "function", "function": {"name": "route", "parameters": {}}}],
           "messages": [{"role": "system", "content": "Route."}, {"role": "user", "content": "card?"},
                        {"role": "assistant", "content": "", "tool_calls": [
                            {"type": "function", "function": {"name": "route", "arguments": {"intent": "a"}}}]}]}


class EncodeTest(unittest.TestCase):

    def test_encode_masksPromptTokens(self):
        tokenizer = CharacterTokenizer()
        prompt = tokenizer.apply_chat_template(EXAMPLE["messages"][:-1], add_generation_prompt=True)

        item = train.encode(EXAMPLE, tokenizer, 1000)

        self.assertEqual(len(item["input_ids"]), len(item["labels"]))
        self.assertEqual(item["labels"][:len(prompt)], [train.IGNORED_LABEL] * len(prompt))
        self.assertNotIn(train.IGNORED_LABEL, item["labels"][len(prompt):])
        self.assertEqual(item["labels"][len(prompt):], item["input_ids"][len(prompt):])

    def test_encode_promptLongerThanLimit_isDropped(self):
        self.assertIsNone(train.encode(EXAMPLE, CharacterTokenizer(), 10))


class HyperparametersTest(unittest.TestCase):

    def test_readHyperparameters_decodesJsonEncodedStrings(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump({"sagemaker_program": "\"train.py\"", "lora_r": "8", "target_modules": "q_proj,v_proj"}, handle)
        try:
            values = train.read_hyperparameters(handle.name)
        finally:
            os.unlink(handle.name)

        self.assertEqual(values, {"sagemaker_program": "train.py", "lora_r": "8", "target_modules": "q_proj,v_proj"})


if __name__ == "__main__":
    unittest.main()
