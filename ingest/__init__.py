"""ingest: turns files people actually have (.txt in any Chinese encoding, .pdf,
.docx, legacy .doc, .html) into structured 公文 `Document`s.

Owns: readers (`ingest.readers`), the GB/T 9704 structure parser
(`ingest.structure`), the shared data classes (`ingest.document`), the user-facing
errors (`ingest.errors`) and every setting (`ingest.settings`: the one object that
reads the environment, here because every package may import ingest), worker
processes that end with their parent (`ingest.children`) and folders switched whole
(`ingest.savedir`: the model folders nlp writes, the index that index rebuilds beside
the old one), and the fold of traditional into simplified characters that the head reader,
the tagger and the search analyser share (`ingest.simplified`). Imports no other gongwen package.
"""
