"""Chinese names for the codes people see, shared by the web pages and the CLI
(light on purpose: the CLI imports it without loading the web stack)."""

KIND_NAMES = {"document": "文件", "section": "条款", "obligation": "任务", "log": "日志"}
FACET_NAMES = {"issuer": "发文机关", "year": "年份", "doc_type": "文种", "tags": "标签", "risks": "风险", "kind": "类型"}
PART_NAMES = {"notice": "通知", "body": "正文", "attachment": "附件"}
SEVERITY_NAMES = {"critical": "严重", "high": "高", "medium": "中", "low": "低"}
STATUS_NAMES = {"open": "待处理", "acknowledged": "已确认"}
