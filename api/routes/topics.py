"""/api/topics…: the research topics found in the field logs (the topic model's
report) and one topic. May import api.schemas and api.routes.keys.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from api.routes.keys import not_found, read_key
from api.schemas import MAX_ID

router = APIRouter()


@router.get("/api/topics", tags=["topics"], dependencies=[Depends(read_key)])
def list_topics(request: Request):
    return request.app.state.service.topics()


@router.get("/api/topics/{topic_id}", tags=["topics"], dependencies=[Depends(read_key)])
def get_topic(request: Request, topic_id: Annotated[int, Path(ge=0, le=MAX_ID)]):
    service = request.app.state.service
    topic = service.topic(topic_id)
    if topic is None and (message := service.topic_without_logs(topic_id)):
        raise HTTPException(404, {"code": "topic_without_logs", "message": message})
    if topic is None:
        raise not_found("课题", topic_id)
    return topic
