"""Three short notices with different issuers, years and 文号, stored through the API: the
store the list filters (page, API and CLI) are tried on."""
from __future__ import annotations

NOTICES = [  # issuer, 文号, title, date
    ("九江市总工会", "九工发〔2023〕5号", "关于开展夏季送清凉活动的通知", "2023年6月1日"),
    ("吉安市总工会", "吉工字〔2024〕12号", "关于加强职工之家建设的意见", "2024年3月2日"),
    ("九江市总工会", "九工发〔2024〕15号", "关于做好困难职工帮扶工作的通知", "2024年9月9日"),
]


def store_notices(client, headers: dict) -> dict[str, str]:
    """POST each notice to /api/documents; 文号 → the stored document's id."""
    ids = {}
    for i, (issuer, number, title, date) in enumerate(NOTICES):
        text = f"{issuer}文件\n{number}\n{title}\n各基层工会：\n请各基层工会于8月31日前报送活动总结。\n{issuer}\n{date}\n"
        r = client.post("/api/documents", files={"file": (f"notice{i}.txt", text.encode())}, headers=headers)
        assert r.status_code == 201, r.text
        ids[number] = r.json()["id"]
    return ids
