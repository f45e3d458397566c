"""Research topics in the service: fitting the topic model on the stored logs and
its report (kept until the model or the logs change). May import nlp.topics and
index.store.models (late) and the service's core.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from api.service.core import ServiceCore


def _mtimes(directory: Path, names: tuple[str, ...]) -> tuple:
    return tuple((directory / n).stat().st_mtime_ns for n in names)


class Topics(ServiceCore):
    """The topic model: where it is, fitting it, its report and one topic."""

    def topic_dir(self, model_dir: str | Path | None = None, *, write: bool = False) -> Path:
        """Where the topic model is: a refit goes to the data folder (never over the model
        shipped in models/topics); reading takes the data folder's model when there is one."""
        from nlp.topics import TopicModel

        if model_dir:
            return Path(model_dir)
        fitted = Path(self.settings.data_dir) / "models" / "topics"
        return fitted if write or TopicModel.exists(fitted) else Path(self.settings.models_dir) / "topics"

    def fit_topics(self, logs: list[dict] | None = None, *, k: int | None = None, fresh: bool = False,
                   model_dir: str | Path | None = None) -> dict[str, Any]:
        """Train the topic model on `logs` (default: every stored log), keep topic ids
        stable against the saved model unless `fresh`, save it, return the report."""
        from nlp.topics import TopicModel, discover

        if logs is None:
            logs = list(self.store.iter_logs(words=True))
            self._cut_stale(logs)
        if not logs:
            raise ValueError("没有日志可供训练话题模型")
        source = self.topic_dir(model_dir)  # the ids to keep: the model in use until now
        previous = TopicModel.load(source) if not fresh and TopicModel.exists(source) else None
        model, rep = discover(logs, n_topics=k, previous=previous)
        target = self.topic_dir(model_dir, write=True)
        model.save(target)
        return {**rep, "model_dir": str(target)}

    def _cut_stale(self, logs: list[dict]) -> None:
        """Cut the stored logs that have no words of today's dictionaries (stored before
        words were kept, or the dictionaries changed since) and store their words, so
        the next fit reads them."""
        from nlp.analysis import dictionary_version, stored_words
        from nlp.topics.model import log_segments

        stale = [log for log in logs if stored_words(log) is None]
        if not stale:
            return
        version = dictionary_version()
        for log, words in zip(stale, log_segments(stale)):
            log["words"], log["words_version"] = words, version
        self.store.set_log_words({log["id"]: log["words"] for log in stale}, version)

    def topics(self, model_dir: str | Path | None = None) -> dict[str, Any] | None:
        """The saved topic model's report over the stored logs; None without a model.

        Kept until the model or the stored logs change: the report assigns every log
        to a topic (seconds at tens of thousands of logs), far too slow for each
        `GET /api/topics`. "Changed" is a new model file or a new log (count and newest
        creation time); a log replaced under its old id shows with the next change.
        """
        from nlp.topics import TopicModel, report

        directory = self.topic_dir(model_dir)
        if not TopicModel.exists(directory):
            return None
        key = (_mtimes(directory, ("topics.json",)), self._logs_fingerprint())  # the manifest: swapped on each save
        with self._topics_lock:  # one computation at a time; the others then read its result
            cached = self._topics_cache.get(str(directory))
            if cached is not None and cached[0] == key:
                return cached[1]
            rep = report(TopicModel.load(directory), list(self.store.iter_logs(words=True)))
            self._topics_cache[str(directory)] = (key, rep)
            return rep

    def _logs_fingerprint(self) -> tuple:
        import sqlalchemy as sa

        from index.store.models import LogRow

        with self.store.session() as s:
            return tuple(s.execute(sa.select(sa.func.count(LogRow.id), sa.func.max(LogRow.created_at))).one())

    def topic(self, topic_id: int) -> dict[str, Any] | None:
        rep = self.topics()
        if rep is None:
            return None
        return next((t for t in rep["topics"] if t["id"] == topic_id), None)

    def topic_without_logs(self, topic_id: int) -> str | None:
        """The Chinese line saying the model has the topic but no stored log falls into it
        (so the report leaves it out); None for a listed topic or an id the model lacks."""
        from nlp.topics.report import without_logs_message

        rep = self.topics()
        if rep is None or topic_id not in rep.get("topics_without_logs", []):
            return None
        return without_logs_message(topic_id)
