"""Where gongwen keeps its data and how it is configured: `Settings`, defined in
ingest.settings (the lowest package, so that ingest, nlp and index read the same
object) and named here for the API and the CLI.
"""
from __future__ import annotations

from ingest.settings import REPO_ROOT, Settings, SettingsError

__all__ = ["REPO_ROOT", "Settings", "SettingsError"]
