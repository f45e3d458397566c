"""ingest: turns files people actually have (.txt in any Chinese encoding, .pdf,
.docx, legacy .doc, .html) into structured 公文 `Document`s.

Owns: readers (`ingest.readers`), the GB/T 9704 structure parser
(`ingest.structure`), the shared data classes (`ingest.document`) and the user-facing
errors (`ingest.errors`). Imports no other gongwen package.
"""
