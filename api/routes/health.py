"""GET /api/health: open to all; what is stored only for key holders when reads need
the key. May import api.guard and api.schemas.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from api import schemas
from api.guard import key_from_headers, key_matches

router = APIRouter()


@router.get("/api/health", response_model=schemas.Health, tags=["system"])
def health(request: Request, x_api_key: Annotated[str | None, Header()] = None,
           authorization: Annotated[str | None, Header()] = None):
    settings = request.app.state.settings
    h = request.app.state.service.health()
    if settings.read_needs_key and not key_matches(key_from_headers(x_api_key, authorization), settings.api_key):
        # what is stored is for key holders only; a load balancer still sees "ok"
        h.update(documents=None, logs=None, open_alerts=None)
    return h
