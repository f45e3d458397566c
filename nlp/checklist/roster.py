"""Name lists of working groups (领导小组 / 联络指导小组 名单): who holds which role.
Roles come from a heading ('（一）组长') or an inline label ('组　长：王某某'); a name
typeset with inner spaces ('李 虎') is joined; '由方明远同志兼任办公室主任' adds the
office director."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

ROLES = ["常务副组长", "副组长", "组长", "组员", "成员", "办公室主任", "办公室副主任", "副主任", "主任", "顾问",
         "秘书长", "联络员", "召集人", "副召集人", "第一组长", "总召集人", "负责人", "委员", "副主席", "主席"]
_ROLE = "|".join(sorted(ROLES, key=len, reverse=True))
ROLE_HEADING = re.compile(rf"^(?:{_ROLE})(?:名单)?$")
GROUP = re.compile(r"(联络指导小组|领导小组|指导小组|工作小组|督导组|工作专班|专班|委员会|小组)")
_INLINE = re.compile(rf"^((?:{'|'.join(r'[ 　]*'.join(r) for r in sorted(ROLES, key=len, reverse=True))}))[ 　]*[：:][ 　]*(.+)$")
_APPOINT = re.compile(rf"(?:由([\u4e00-\u9fff]{{2,4}}?)(?:同志)?|([\u4e00-\u9fff]{{2,4}}?)同志)(?:兼任|担任|任)({_ROLE})")
_CJK = r"[\u4e00-\u9fff·]"


@dataclass
class RosterEntry:
    name: str
    title: str | None
    group: str | None
    role: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def group_of(*texts: str | None) -> str | None:
    """The group a list belongs to: the first group word in the nearest heading or title."""
    for t in texts:
        if t:
            m = GROUP.search(t)
            if m:
                return m.group(1)
    return None


def parse_person(line: str) -> tuple[str, str | None] | None:
    """'陈望舒 市总工会党组副书记、常务副主席' → ('陈望舒', '市总工会…'); '李 虎 …' → ('李虎', …);
    '王某某（市总工会主席）' → ('王某某', '市总工会主席'). None when the line is not a person."""
    s = line.strip().replace("\t", " ")
    s = re.sub(rf"^({_CJK})[ \u3000]+({_CJK})(?=[（(])", r"\1\2", s)  # 王　静（…）
    m = re.match(rf"^({_CJK}{{2,4}})[（(]([^）)]+)[）)]$", s)
    if m:
        return m.group(1), m.group(2)
    tokens = re.split(r"[ \u3000]+", s)
    if len(tokens) >= 3 and len(tokens[0]) == 1 and 1 <= len(tokens[1]) <= 2 and re.fullmatch(_CJK + "+", tokens[0] + tokens[1]):
        name, rest = tokens[0] + tokens[1], tokens[2:]
    elif re.fullmatch(_CJK + "{2,4}", tokens[0]) and len(tokens) >= 2:
        name, rest = tokens[0], tokens[1:]
    elif len(tokens) == 1 and re.fullmatch(_CJK + "{2,4}", tokens[0]):
        return tokens[0], None
    else:
        return None
    title = " ".join(rest).strip() or None
    if title and re.search(r"[，。；]", title):
        return None  # a sentence, not a title
    return name, title


_TITLE_END = re.compile(r"(?:主席|书记|部长|主任|局长|处长|科长|委员|会长|组长|馆长|院长|校长|经理|厂长|干事|调研员|秘书长|成员|同志)$")


def name_list(text: str) -> list[str] | None:
    """'王建军　刘晓东　陈　丽　张志刚' / '周文斌、吴海燕、郑国庆' → the names; a two-character
    name padded to three with a space ('陈　丽') is joined. None when a piece is not a
    bare name (a title, an organ) or there is only one."""
    pieces = [x for x in re.split(r"[、，,；;\s\u3000]+", text.strip().rstrip("。")) if x]
    names: list[str] = []
    i = 0
    while i < len(pieces):
        x = pieces[i]
        if len(x) == 1 and i + 1 < len(pieces) and len(pieces[i + 1]) in (1, 2):
            x, i = x + pieces[i + 1], i + 1
        if not re.fullmatch(_CJK + "{2,4}", x) or _TITLE_END.search(x) or GROUP.search(x):
            return None
        names.append(x)
        i += 1
    return names if len(names) >= 2 else None


def inline_roles(line: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    """'组　长：王某某（主席）、李四' → ('组长', [('王某某', '主席'), ('李四', None)])."""
    m = _INLINE.match(line.strip())
    if not m:
        return None
    role = re.sub(r"[ 　]", "", m.group(1))
    rest = m.group(2).strip().rstrip("。")
    many = name_list(rest)
    if many:  # 成　员：王建军　刘晓东　陈　丽
        return role, [(n, None) for n in many]
    one = parse_person(rest)
    if one and one[1] and re.fullmatch(r"[^（(]+[（(][^）)]+[）)]", rest):  # 组长：何晓岚（党组成员、副主席）
        return role, [one]
    # one person with a title: 组  长：郑一帆  市总工会党组书记、常务副主席
    one = parse_person(rest)
    if one and (one[1] is None or not re.search(r"[、，]", rest.split()[0] if rest.split() else "")) and " " in rest.replace("\u3000", " "):
        return role, [one]
    people = []
    for piece in re.split(r"[、，,；;]", m.group(2)):
        piece = piece.strip("。 ")
        if not piece:
            continue
        p = parse_person(piece)
        if p is None:
            return None
        people.append(p)
    return (role, people) if people else None


def appointments(text: str) -> list[tuple[str, str]]:
    """'由方明远同志兼任办公室主任' → [('方明远', '办公室主任')]."""
    return [(m.group(1) or m.group(2), m.group(3)) for m in _APPOINT.finditer(text)]


def extract_roster(doc) -> list[RosterEntry]:
    out: list[RosterEntry] = []
    seen: set[tuple[str, str | None, str | None]] = set()

    def add(e: RosterEntry) -> None:
        key = (e.name, e.role, e.group)
        if key not in seen:
            seen.add(key)
            out.append(e)

    for part in doc.parts:
        blocks = [(None, [], part.preamble)] + [(s, s.path, s.text) for s in part.walk()]
        for sec, path, text in blocks:
            role = sec.title.strip() if sec is not None and ROLE_HEADING.match(sec.title.strip()) else None
            group = group_of(*reversed(path[:-1]), part.title) if sec is not None else group_of(part.title)
            current = role  # an inline label (副组长：…) holds for the lines under it
            for line in text.split("\n"):
                if not line.strip() or "\t" in line:
                    continue
                inline = inline_roles(line)
                if inline:
                    current, people = inline
                    for name, title in people:
                        add(RosterEntry(name, title, group, current))
                    continue
                many = name_list(line) if current else None
                if many:  # a continuation line of names under the last label
                    for name in many:
                        add(RosterEntry(name, None, group, current))
                    continue
                p = parse_person(line) if current else None
                if p:
                    add(RosterEntry(p[0], p[1], group, current))
                    continue
                current = role
                for name, r in appointments(line):
                    title = next((e.title for e in out if e.name == name and e.title), None)
                    g = group
                    if r.startswith("办公室") and g and not g.endswith("办公室"):
                        g = g + "办公室"
                    add(RosterEntry(name, title, g, r))
    for table in _all_tables(doc):
        for e in roster_from_table(table, group_of(table.title, *(p.title for p in doc.parts if table in p.tables))):
            add(e)
    return out


def _all_tables(doc):
    seen, out = set(), []
    for t in [*doc.tables, *(t for p in doc.parts for t in p.tables)]:
        if id(t) not in seen:
            seen.add(id(t))
            out.append(t)
    return out


def roster_from_table(table, group: str | None) -> list[RosterEntry]:
    """A name list typeset as a table (姓名 | 小组职务 | 单位及职务)."""
    header = [re.sub(r"\s", "", h or "") for h in table.header]
    if "姓名" not in header:
        return []
    i_name = header.index("姓名")
    i_role = next((i for i, h in enumerate(header) if h in ("小组职务", "组内职务", "职务", "分工", "组内分工")), None)
    i_title = next((i for i, h in enumerate(header) if i != i_role and ("单位" in h or "职务" in h or "职称" in h)), None)
    rows, out, role = table.rows, [], None
    for row in rows:
        cells = [re.sub(r"[ \u3000]+", "", c or "") if j == i_name else (c or "").strip() for j, c in enumerate(row)]
        if i_name >= len(cells) or not re.fullmatch(_CJK + "{2,4}", cells[i_name]):
            continue
        if i_role is not None and i_role < len(cells) and cells[i_role]:
            role = re.sub(r"\s", "", cells[i_role])
        if role is None or not ROLE_HEADING.match(role):
            if i_role is None:
                return []  # a table of people that is not a group's list
            continue
        title = cells[i_title] if i_title is not None and i_title < len(cells) else None
        out.append(RosterEntry(cells[i_name], title or None, group, role))
    return out

