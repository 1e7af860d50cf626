"""Teachers' tools: `init-bank` (scaffold), `add` (one question, round-trip YAML), `import` (CSV/TSV, GIFT, Aiken)
and `derive` (timeline text → draft eras and events). They read the bank through `quiz.bank` and write files only
through `yamledit`, atomically, after the real loader has accepted the result."""
