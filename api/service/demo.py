"""The demo setup: the sample notices of corpora/notices and the field logs of
corpora/logs, tagged by the trained model. May import the service's core and results.
"""
from __future__ import annotations

import sys
from pathlib import Path

from api.service.core import ServiceCore
from api.service.results import IngestResult, IngestSummary


class Demo(ServiceCore):
    """Filling a setup with the sample corpus."""

    def load_demo(self, progress: bool = False) -> IngestSummary:
        """Fill a setup with the sample corpus: the notices in corpora/notices, and the
        field logs of corpora/logs tagged by the trained model (their hand labels are
        dropped, so what the demo shows is what the model finds)."""
        import json

        corpora = Path(self.settings.corpora_dir)
        live = sys.stderr.isatty()  # a log file gets one line at the end, not a run of \r updates

        def report(done: int, total: int, result: IngestResult | None) -> None:
            if result is not None and (live or done == total):
                print(f"\r示例公文 {done}/{total}", end="" if live and done < total else "\n", file=sys.stderr)

        summary = self.ingest_paths([corpora / "notices"], on_progress=report if progress else None)
        labels = ("tasks", "risks", "negated", "implied", "parts")
        logs = []
        for f in sorted((corpora / "logs").glob("*.jsonl")):
            logs += [{k: v for k, v in json.loads(line).items() if k not in labels}
                     for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        for start in range(0, len(logs), 2000):
            self.add_logs(logs[start:start + 2000])
        if progress:
            print(f"示例日志 {len(logs)} 条（已由模型标注）", file=sys.stderr)
        return summary
