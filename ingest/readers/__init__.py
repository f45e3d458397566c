"""Readers: one module per file format, each returning a `RawText`.

- `txt`      plain text in UTF-8/GB18030/UTF-16 (also the byte decoding used by `html`)
- `pdf`      text PDFs via pdfplumber (PDFium fallback); scans, encryption, damage detected
- `docx`     Word 2007+ via python-docx, with `docx_numbering` for automatic numbering,
             `docx_parts` for footnotes, endnotes, headers and footers, `docx_chunks`
             for embedded chunks (w:altChunk)
- `wordxml`  Word 2003 XML and Flat OPC through the DOCX reader's walk
- `doc`      Word 97-2003, WPS and RTF via the system tool catdoc
- `html`     saved web pages: article body, title and 文号 of gov sites
- `assemble` shared normalisation and the builder of text, page starts and tables

Use `ingest.read.read_path` / `read_bytes`, which check size and dispatch here.
"""
