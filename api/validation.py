"""Pydantic's validation errors as one Chinese sentence for people (and a list of
problems for programs): where in the request, and what is wrong there."""
from __future__ import annotations

import re
from typing import Any

PYDANTIC_ZH = {
    "missing": "缺少必填字段", "int_parsing": "应为整数", "int_type": "应为整数", "float_parsing": "应为数字",
    "string_type": "应为字符串", "bool_parsing": "应为 true 或 false", "dict_type": "应为 JSON 对象",
    "list_type": "应为 JSON 数组", "model_attributes_type": "应为 JSON 对象", "json_invalid": "不是合法的 JSON",
    "date_parsing": "应为日期 YYYY-MM-DD", "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间", "string_too_long": "太长（最多 {max_length} 个字符）",
    "string_too_short": "不能为空", "greater_than_equal": "应不小于 {ge}", "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}", "less_than": "应小于 {lt}", "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}", "extra_forbidden": "不认识的字段", "string_unicode": "含有无效的 Unicode 字符（如单独的代理码位 \\ud800）", "value_error": "{error}",
}
_VALIDATOR = re.compile(r"^function-(after|before|wrap|plain)\[")
LOC_ZH = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头"}


def _problem(e: dict) -> dict:
    loc = [str(x) for x in e.get("loc", ())]
    # a body typed `LogIn | list[LogIn]` names each union branch in the location, and a model with
    # a validator is named after it (`function-after[storable_extras(), LogIn]`): drop those names
    loc = [x for x in loc if not (x[:1].isupper() or x.startswith("list[") or _VALIDATOR.match(x))]
    if e.get("type") == "json_invalid":
        loc = loc[:1]
    where = (".".join(loc[1:]) or LOC_ZH.get(loc[0], loc[0])) if loc else ""
    ctx = dict(e.get("ctx") or {})
    if isinstance(ctx.get("expected"), str):
        ctx["expected"] = ctx["expected"].replace("'", "").replace(" or ", "、").replace(", ", "、")
    if "error" in ctx:
        ctx["error"] = str(ctx["error"]).removeprefix("Value error, ")
    template = PYDANTIC_ZH.get(e.get("type", ""))
    try:
        problem = template.format(**ctx) if template else e.get("msg", "")
    except (KeyError, IndexError):
        problem = template or e.get("msg", "")
    return {"where": where, "problem": problem, "type": e.get("type")}


def problems(errors: list[dict]) -> list[dict]:
    """Each distinct problem of pydantic's `errors` as {where, problem, type}, in Chinese."""
    found: list[dict] = []
    for p in map(_problem, errors):
        if p not in found:
            found.append(p)
    return found


def describe(errors: list[dict], body: Any = None) -> tuple[str, list[dict]]:
    """(Chinese message, problems) for a request that failed validation."""
    # for a one-object-or-list body, keep only the branch matching what was sent
    branches = {str(e["loc"][1]) for e in errors if len(e.get("loc", ())) > 1 and e["loc"][0] == "body"}
    if len(branches) > 1:
        lists = {b for b in branches if b.startswith("list[")}
        keep = lists if isinstance(body, list) else branches - lists
        errors = [e for e in errors
                  if not (len(e.get("loc", ())) > 1 and e["loc"][0] == "body") or str(e["loc"][1]) in keep]
    found = problems(errors)
    where = "；".join(f"{p['where']}：{p['problem']}" if p["where"] else p["problem"] for p in found[:3])
    return f"请求内容不合法（{where}）", found
