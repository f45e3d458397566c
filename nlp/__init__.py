"""nlp: language work on parsed documents and field logs.

Owns: the jieba/spaCy language pipeline and domain dictionary (`nlp.language`),
checklist extraction from notices (`nlp.checklist`), log tagging (`nlp.tagging`)
and research-topic discovery (`nlp.topics`). May import `ingest`; never `index` or `api`.
"""
