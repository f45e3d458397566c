"""api: the ways people use gongwen: the service layer that ties reading,
extraction, storing and indexing together (`api.service`, a module per resource),
the HTTP API (`api.app`, FastAPI, with one router per resource in `api.routes`)
and the command line (`api.cli`, typer), which mirror each other. May import every other gongwen package.
"""
