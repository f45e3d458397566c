"""The tagger's model card (MODEL_CARD.md): data, training, thresholds, the grouped
cross-validation on real report passages, the project's test split and held-out
sets, intended use and limitations."""
from __future__ import annotations

from nlp.tagging.genre import BAR

# The model shipped before real passages were used (format 4, trained on the
# project's logs only), tagging all 303 labelled real passages (first look,
# 2026-12-04, `gongwen tag` + ../shared/eval/score_tags.py).
FIRST_LOOK = {"tasks": 0.466, "risks": 0.630, "negated": "55/72 (76 %)",
              "heldout_unseen.jsonl": (0.814, 0.895, "3/17"), "heldout_round2.jsonl": (0.756, 0.813, "3/9")}


def _table(field: dict, names: dict[str, str]) -> list[str]:
    rows = ["| label | 中文 | P | R | F1 | n |", "|---|---|---|---|---|---|"]
    for lab, s in field["per_label"].items():
        rows.append(f"| {lab} | {names.get(lab, '')} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    return rows


def _summary(res: dict) -> list[str]:
    t, r, neg = res["tasks"], res["risks"], res.get("negated")
    out = [f"- tasks: macro-F1 **{t['macro_f1']:.3f}**, micro-F1 {t['micro_f1']:.3f}, exact match {t['exact_match']:.3f}",
           f"- risks: macro-F1 **{r['macro_f1']:.3f}**, micro-F1 {r['micro_f1']:.3f}, exact match {r['exact_match']:.3f}"]
    if neg:
        out.append(f"- texts that say a risk is absent/settled/denied yet raise a risk they do not hold: "
                   f"{neg['false_alarms']}/{neg['n']} (**{neg['false_alarm_rate']:.1%}**)")
    return out


def model_card(metrics: dict, tagger) -> str:
    tax = tagger.taxonomy
    names = {l.id: l.name for l in tax.tasks + tax.risks}
    sev = {l.id: l.severity for l in tax.risks}
    c = tagger.config
    d = metrics["data"]
    cv = metrics.get("grouped_cv")
    lines = [
        "# Field-log tagger (蹲点日志标注模型)",
        "",
        f"Trained {metrics['trained_at']} in {metrics['training_seconds']:.1f} s on {d['n_train']} texts "
        f"({d['n_logs']} project logs, {d['n_real']} real report passages); judged by cross-validation on the",
        "real passages grouped by source site (figures below).",
        "",
        "## What it does",
        "",
        "Gives each field log (蹲点日志, 走访记录, 工作简报, report passage) one or more task categories and any",
        "number of risk signals. Every risk comes with its taxonomy severity and evidence: the risk mention",
        "(offsets into the original text), its status (present / threatened) and the cue word that shows it.",
        f"Labels: `corpora/taxonomy.toml` (sha256 `{tax.sha256[:16]}…`, copied next to the model).",
        "",
        "## Model",
        "",
        "- Text normalised first (traditional → simplified, full-width → ASCII), one character for one, so",
        "  offsets point into the original text. Cut into clauses (。；！？，： and line breaks).",
        f"- Features per clause: character {c.char_ngrams[0]}–{c.char_ngrams[1]}-grams (≤ {c.max_char})"
        + (f" and dictionary words (≤ {c.max_word}, chosen by jieba at fit time, found by Aho-Corasick)" if c.word else "")
        + "; a log's or a window's (one or two adjacent clauses) vector is the TF-IDF of its clauses' counts.",
        ((f"- Tasks: weighted mean of a whole-text logistic regression (C={c.C_tasks}, balanced) and the best window"
          "\n  of a window classifier, per label (the weight chosen per label with its threshold, table below);")
         if getattr(c, "task_mix", False) else
         (f"- Tasks: mean of a whole-text logistic regression (C={c.C_tasks}, balanced) and the best window of"
          "\n  a window classifier, per label;")
         if getattr(c, "task_window", True) else
         f"- Tasks: a whole-text logistic regression (C={c.C_tasks}, balanced) per label (a window head, as for"
         "\n  risks, scored lower on the real passages in grouped CV);")
        + " every label over **its own threshold** (table below), chosen on",
        *(["  held-out probabilities of the fit's grouped folds; when none passes, the most probable (`other`",
           "  only then)."] if getattr(tagger, "gate_coef", None) is None else
          ["  held-out probabilities of the fit's grouped folds.",
           "- **Union-work gate** (`nlp/tagging/gate.py`): a logistic regression over a few named columns (a union",
           "  organ named; news and rumour cues where none is; the text's length; P(other) and the best union",
           "  task's margin over its threshold) gives P(no union work), fitted on the inner folds' held-out head",
           f"  probabilities; at or over its bar ({tagger.gate_bar:.2f}, chosen on those folds) a text gets `other`"
           " alone,",
           "  under it the union tasks that pass, or the most probable union task when none does."]),
        *(["- **Second bars** (`TaggerConfig.task_second`): a union task that passes but is not the text's most",
           "  probable one given needs its second bar (thresholds table), chosen after the gate on the inner folds'",
           "  held-out probabilities by the macro-F1 of the whole decision: reports of a 座谈, 宣讲 or 验收 got",
           "  rights_services or labor_relations beside their own task."] if getattr(tagger, "task_second", None) else []),
        f"- Risk windows: one logistic regression per risk (C={c.C_risks}) over windows, trained as a",
        "  multiple-instance learner (windows of texts without the risk are negatives; in texts with it the",
        "  windows with a keyword, then the best-scoring ones). A text's risk probability p is its best window's.",
        "- **Risk mentions with a status** (`nlp/tagging/status.py`): every risk keyword (taxonomy + genre",
        "  phrasings, `nlp/tagging/keywords.py`) is a candidate mention. A multinomial logistic regression",
        f"  (C={c.status_C}, hashed features, 2^15) gives it one of present / threatened / settled /",
        "  denied-none-found / rumour-dispelled / hypothetical / historical / generic, from cue classes and cue",
        "  words in zones around it (the clause before and after it, the rest of its sentence, the sentences",
        "  before and after, the rest of the text before and after: a verdict or a payment told sentences",
        "  later), cue classes for who says it (自称/网友/家属 against 经核实/警方/通报) and for tense (将/了/仍),",
        "  the scope rule's reading, the keyword, the characters next to it and the character pairs of its",
        "  sentence" + (f"; and, as {c.status_vec:g} × dense columns, the unit mean general word vectors of its clause"
                       "\n  and of what follows to the end of the next sentence (`status_vec`, nlp/tagging/dense.py)"
                       if c.status_vec > 0 else "") + ". Training statuses: the hand labels of `corpora/annotations/tagging/` for the real",
        "  passages (passage id + offsets + hash); for project logs, derived: a mention of a risk the log",
        "  does not carry is not present, its kind of absence read from its cues; a mention of a risk the log",
        "  carries is present (threatened with threat cues), left out when its cues deny it.",
        *(["- **A risk's mentions vote together** (`risk_vote`, nlp/tagging/status.py: `vote_features`): a logistic",
           "  regression over the raise scores P(present or threatened) of all the text's mentions of that risk (max,",
           "  mean, first, last, share ≥ 0.5, count), their mean probability of each other status, the mean raise",
           "  score and largest not-raising probability over all the text's risk mentions, the window probability p",
           "  and the calm head's probability, with a bias per risk; fitted on the held-out status probabilities of",
           "  the fit's grouped folds, a negated text's pairs of a risk it does not hold weighing"
           f" {getattr(c, 'vote_neg_weight', 1.0):g} ×. A risk",
           "  with mentions is raised when the vote's probability is ≥ `status` and p ≥ `lo` (in a calm text",
           "  ≥ `status_quiet`); the evidence shown is its mention with the highest raise score.",
           "- Models without the vote raise a risk when one of its mentions has P(present or"
           " threatened) ≥ `status` and p ≥ `lo`;"]
          if getattr(c, "risk_vote", 0) and getattr(tagger, "vote_coef", None) is not None else
          ["- A risk is raised when one of its mentions has P(present or threatened) ≥ `status` and p ≥ `lo`;"]),
        "  a risk with no mention at all (implied) needs p ≥ `implied` and its best window not denied, and",
        "  p ≥ `implied_quiet` when the text is calm: its risk mentions all read as not present, or a",
        "  whole-text logistic regression (TF-IDF, trained on the `negated` labels of the real passages and",
        "  the logs) reads it as saying a risk is absent, settled or a rumour; in a calm text a mention needs",
        "  P(present or threatened) ≥ `status_quiet` (at least `status`).",
        "  Thresholds per risk are chosen on the fit's grouped held-out folds (table below) by the label's",
        f"  F1; the calm-text bars by the F1 minus {getattr(c, 'negated_cost', 0.0):g} × the share of negated texts",
        "  (absent / settled / rumour) that raise it without holding it: a false alarm on a settled matter",
        "  costs trust.",
        *(["  `implied` is at least the bar the real passages alone choose (the highest of their best F1):",
           "  the project logs state risks without a keyword by construction, reports by others seldom do."]
          if getattr(c, "implied_real", 0) else []),
        *(["  In a text reporting union service (a union organ named and a keyword of organizing /",
           "  rights_services / union_building: `gate.service_texts`) it also needs p ≥ `implied, service`",
           "  unless the sentence of its best window says a harm (`gate.harm_said`: the status cues of",
           "  present, still and negation): the window reads 货车司机/骑手 as the gig risk, and real reports",
           "  that name them with no risk word mostly tell a 司机之家 opened or riders joining the union."]
          if getattr(c, "implied_service", 0) else []),
        *(["- **General talk raises nothing** (`genre_gate`, nlp/tagging/genre.py): a text the genre head reads as general or",
           f"  hypothetical talk with P ≥ {BAR:g} (a fixed bar, not chosen per fit) raises no risk. The head is a class-balanced",
           "  logistic regression over counts of cue classes seen across many sources (advice to the reader, conditionals,",
           "  statutes cited, legal-column forms; named units, dates, visits, head counts, persons named, a reporter's",
           "  phrases), fitted on labelled passages: those holding a risk against page passages that hold none and name",
           "  a risk only in general or hypothetical talk (the page sets the fit was given: `gongwen train --genre-pages`)."]
          if getattr(tagger, "genre_head", None) is not None else []),
        f"- Every fit weighs a real passage {c.real_weight:g} and a project log {getattr(c, 'log_weight', 1.0):g}. Thresholds maximise the mean of",
        "  the F1 on real passages and on project logs (both kinds of text are judged). Inner folds are",
        f"  grouped by source site ({metrics['tagger']['folds']} folds; a project log is its own group).",
        "- Stored as numpy arrays (`tagger.npz`, float16 coefficients) and JSON; no pickles.",
        "",
        "## Data",
        "",
        f"- project logs: `{d['train']}`" + (f" (first {d['logs_used']})" if d.get("logs_used") else "")
        + f" sha256 `{d['train_sha256']}`"
        + (f" + `{d['supplement']}` sha256 `{d['supplement_sha256']}`" if d.get("supplement") else ""),
        f"- real passages: {d.get('real') or 'none'} ({d['n_real']} passages, labelled by another hand;"
        f" read at training time, never copied; sha256 of ids+texts `{(d.get('real_sha256') or '')[:16]}…`)",
        f"- hand-labelled mention statuses: {d.get('n_status_labels', 0)} (those of the untagged real passages",
        "  train the status classifier only)",
    ] + ([f"- task-only passages (task heads only, risks unknown): {d['n_task_only'] - d.get('n_page_passages', 0)} of"
          " ../shared/real-corpus/passages.jsonl, labelled in `corpora/annotations/tagging/tasks/`"
          + (f", and {d['n_page_passages']} page passages of {d['page_passages']}" if d.get("n_page_passages") else "")]
         if d.get("n_task_only") else []) + ([
        f"- untagged real passages a person labelled (tasks in `corpora/annotations/tagging/tasks/`, risks and"
        f" negated in `{d['untagged_risks']}`): {d['n_untagged_risk_labelled']} of ../shared/real-corpus/passages.jsonl;"
        " they train every head like the batches' passages (the grouped CV below scores the batches' passages)"]
        if d.get("n_untagged_risk_labelled") else []) + ([
        f"- genre head: the real passages holding a risk and {d['n_genre_pages']} passages of the page sets"
        f" {', '.join(f'`{g}`' for g in d['genre_pages'])} (texts from page caches outside the repository;"
        " labels only: held risks, generic and hypothetical pairs)"]
        if d.get("n_genre_pages") else []) + [
        f"- test split: `{d['test']}` sha256 `{d['test_sha256']}` (project logs, another template hand)",
        "",
    ]
    if cv:
        lines += [
            f"## Grouped cross-validation on real passages ({cv['folds']} folds, {cv['n_sites']} sites)",
            "",
            "Each fold trains on the project logs and the real passages of the other sites (its thresholds",
            "chosen by its own inner grouped folds) and tags the held-out sites: no site is in both. This is",
            "the honest figure.",
            "",
        ] + ([cv["note"], ""] if cv.get("note") else []) + [
            f"Before (the previous model, logs only, on all passages): tasks macro-F1 {FIRST_LOOK['tasks']:.3f},",
            f"risks macro-F1 {FIRST_LOOK['risks']:.3f}, negated passages raising a risk {FIRST_LOOK['negated']}.",
            "",
        ] + _summary(cv) + ["", "### Tasks", ""] + _table(cv["tasks"], names) + ["", "### Risks", ""] + _table(cv["risks"], names) + [""]
        if cv.get("page_tasks"):  # bench/tag_refit_tasks.py --page-cache: page passages held out by site too
            lines += ["### Tasks of the page passages (held out by site in the same folds)", "",
                      f"macro-F1 {cv['page_tasks']['macro_f1']:.3f}, micro-F1 {cv['page_tasks']['micro_f1']:.3f}", ""] \
                + _table(cv["page_tasks"], names) + [""]
    lines += ["## Project test split (template logs, another hand)", ""] + _summary(metrics["test"]) + [""]
    for name, h in (metrics.get("heldout") or {}).items():
        fl = FIRST_LOOK.get(name)
        lines += [f"## Held-out hand-written logs: `corpora/logs/{name}` (never trained or tuned on)", "",
                  f"sha256 `{h['sha256']}`."
                  + (f" Previous model: tasks {fl[0]:.3f}, risks {fl[1]:.3f}, negated {fl[2]}." if fl else ""), ""]
        lines += _summary(h["scores"]) + ["", "### Tasks", ""] + _table(h["scores"]["tasks"], names) + \
            ["", "### Risks", ""] + _table(h["scores"]["risks"], names) + [""]
    mixed = any(x != 0.5 for x in tagger.task_mix.values())  # TaggerConfig.task_mix: a weight per label
    lines += ["## Thresholds (chosen by grouped cross-validation inside the fit)", ""]
    lines += ["| task | threshold | weight of the whole-text head (rest: best window) |", "|---|---|---|"] if mixed \
        else ["| task | threshold |", "|---|---|"]
    second = getattr(tagger, "task_second", None) or {}  # a label's bar when another union task is more probable
    for lab, th in tagger.task_thresholds.items():
        sb = f" (second {second[lab]:.3f})" if lab in second else ""
        lines.append(f"| {lab} | {th:.3f}{sb} | {tagger.task_mix.get(lab, 0.5):.2f} |" if mixed else f"| {lab} | {th:.3f}{sb} |")
    svc = any("implied_service" in th for th in tagger.risk_thresholds.values())
    lines += ["", "| risk | severity | status | status, calm text | lo | implied | implied, calm text |"
              + (" implied, service |" if svc else ""), "|---|---|---|---|---|---|---|" + ("---|" if svc else "")]

    def bar(x: float) -> str:
        return "never" if x > 1 else f"{x:.2f}"

    for lab, th in tagger.risk_thresholds.items():
        q = th.get("implied_quiet", th["implied"])
        sq = th.get("status_quiet", th["status"])
        lines.append(f"| {lab} | {sev.get(lab)} | {th['status']:.2f} | {bar(sq)} | {th['lo']:.2f} | {bar(th['implied'])} | "
                     f"{bar(q)} |" + (f" {bar(th.get('implied_service', th['implied']))} |" if svc else ""))
    ms = metrics["tagger"].get("mention_statuses")
    if ms:
        lines += ["", "Training mentions by status: " + ", ".join(f"{k} {v}" for k, v in ms.items())]
    lines += [
        "",
        "## Speed",
        "",
        "`python bench/tag.py` (100,000 logs, one process); the figures of the last run are in the README.",
        "",
        "## Intended use",
        "",
        "Triage of union field logs: route logs to task categories, surface possible risks with the mention",
        "and its status cue so a cadre can check it. Alerts are prompts for a person to read the log, not",
        "findings; the log text stays the source of truth.",
        "",
        "## Limitations",
        "",
        "- The real passages are few (303 from about 250 sites); rare risks (women_workers, mental_health,",
        "  collective_incident: about 10 passages each) have unstable thresholds and figures.",
        "- Mention statuses are mostly derived from passage labels and cue words, not read one by one by a",
        "  person; the fine status (settled vs denied vs generic) is less reliable than raise / no raise.",
        "- Implied risks (no keyword) rely on the window classifier alone.",
        "- Against the previous, logs-only model (format 4, all 4,000 template logs) this one gains on real",
        "  passages and loses on the project's own logs (test split tasks 0.857 → "
        f"{metrics['test']['tasks']['macro_f1']:.3f}, risks 0.871 → {metrics['test']['risks']['macro_f1']:.3f};",
        "  held-out sets above). It uses 800 template logs (training time) and balances thresholds between",
        "  the two kinds of text; which of these costs the logs most was not measured.",
        "- Many real passages tell a risk and its outcome far apart (a lead sentence says the pay was won",
        "  back, the body tells the arrears): the mention classifier reads its sentence and neighbours and",
        "  misses such outcomes; the whole-text calm head and the false-alarm cost catch part of them.",
        "- Severity is the taxonomy's fixed severity per risk, not a judgement of the case.",
        "",
    ]
    return "\n".join(lines)
