"""The message catalogue (quiz/messages.tsv): read whole, and the spaces that end prompts survive in the file."""

from __future__ import annotations

from quiz.messages import catalogue, say

PROMPTS_WITHOUT_A_SPACE = {"prompt.preview.key"}  # a part of prompt.preview, not a prompt of its own


def test_every_line_is_a_message_of_its_own() -> None:
    messages = catalogue()
    assert len(messages) >= 170
    assert all(key and english and arabic for key, (english, arabic) in messages.items())
    assert say("position", "en", n=1, total=3) == "Question 1 of 3"
    assert say("position", "ar", n=1, total=3) == "السؤال 1 من 3"


def test_prompts_end_with_a_space_in_both_languages() -> None:
    prompts = {key: texts for key, texts in catalogue().items()
               if key.startswith("prompt.") and key not in PROMPTS_WITHOUT_A_SPACE}
    assert len(prompts) == 10
    assert [key for key, texts in prompts.items() if not all(text.endswith(" ") for text in texts)] == []
