"""Research-topic discovery over field logs: an NMF topic model with class-based
TF-IDF labels (`model`), trends by month and region with an emerging score and the
risks each topic carries (`trends`), and ranked research-topic suggestions
(`suggest`). `discover()` runs the whole chain on a list of log dicts."""
from nlp.topics.model import TopicModel
from nlp.topics.report import discover, report

__all__ = ["TopicModel", "discover", "report"]
