"""What every route module shares: the API-key dependencies (writes always need the
key, reads when GONGWEN_READ_NEEDS_KEY=1), the 404 error, the paging limit and the
check of a date range.
May import api.guard and api.schemas.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, HTTPException, Request

from api.guard import KEY_MESSAGE, key_from_headers, key_matches, page_key
from api.schemas import reversed_range

MAX_OFFSET = 10**9  # past every real table; a larger OFFSET overflows the database driver at 2^63


def check_key(request: Request, x_api_key: str | None, authorization: str | None) -> None:
    given = key_from_headers(x_api_key, authorization) or page_key(request.headers)
    if not key_matches(given, request.app.state.settings.api_key):
        raise HTTPException(401, {"code": "unauthorized", "message": KEY_MESSAGE})


def write_key(request: Request, x_api_key: Annotated[str | None, Header()] = None,
              authorization: Annotated[str | None, Header()] = None) -> None:
    check_key(request, x_api_key, authorization)


write_key.needs_write_key = True  # Guard checks these routes' key before their body is read


# async: a plain check with no I/O, so it runs on the event loop instead of costing
# every read request an extra trip through the thread pool.
async def read_key(request: Request, x_api_key: Annotated[str | None, Header()] = None,
                   authorization: Annotated[str | None, Header()] = None) -> None:
    if request.app.state.settings.read_needs_key:
        check_key(request, x_api_key, authorization)


def not_found(what: str, ident: Any) -> HTTPException:
    return HTTPException(404, {"code": "not_found", "message": f"找不到{what}：{ident}"})


def check_date_range(date_from: Any, date_to: Any) -> None:
    """A range that ends before it starts matches nothing: most likely the two dates were
    swapped, so say so rather than answer an empty list as if none were found. 409, not 422
    (as api.service.logs.RepeatedLogId): each date is valid, together they conflict, which
    the OpenAPI schema cannot say, and 409 is what a client reads as valid data refused."""
    message = reversed_range(date_from, date_to)
    if message:
        raise HTTPException(409, {"code": "date_range_reversed", "message": message})

