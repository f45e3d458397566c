"""Duty tracking (督办台账): the duties of stored checklists, their occurrences
over time, and the field logs that are evidence for them.

- `duties`: a duty (one obligation of a notice) with the notice's jurisdiction
- `occurrences`: recurring duties expanded to dated occurrences
- `linking`: which log is evidence for which duty (scored, with the sentence)
- `ledger`: occurrences with their status against a given "today"
"""
