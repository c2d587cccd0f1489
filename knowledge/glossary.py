"""A small bilingual operations glossary used to expand queries across zh-CN and en-US.

A Chinese question about an English runbook (or the reverse) shares few tokens with it;
expanding the query with the other language's words for common operations terms lets
lexical retrieval bridge the two.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.tokens import tokenize

__all__ = ["GLOSSARY", "expand", "translations"]

GLOSSARY: dict[str, str] = {
    "内存": "memory",
    "溢出": "oom out of memory",
    "内存不足": "oom memory",
    "重启": "restart",
    "崩溃": "crash",
    "循环": "loop",
    "容器": "container",
    "镜像": "image",
    "拉取": "pull",
    "仓库": "registry",
    "探针": "probe",
    "就绪": "readiness ready",
    "存活": "liveness",
    "健康检查": "health check probe",
    "调度": "schedule scheduler",
    "挂起": "pending",
    "等待": "pending waiting",
    "节点": "node",
    "扩容": "scale up",
    "缩容": "scale down",
    "扩缩容": "autoscaling scale",
    "自动扩缩": "autoscaler hpa",
    "副本": "replica",
    "延迟": "latency slow",
    "慢": "slow latency",
    "错误率": "error rate",
    "错误": "error",
    "报错": "error",
    "磁盘": "disk",
    "空间": "space",
    "压力": "pressure",
    "驱逐": "evict eviction",
    "证书": "certificate tls cert",
    "过期": "expire expiry",
    "到期": "expire expiry",
    "续期": "renew",
    "域名": "dns domain",
    "解析": "dns resolve resolution",
    "节流": "throttling",
    "限流": "throttling limit",
    "限制": "limit",
    "配额": "quota",
    "请求": "request",
    "发布": "rollout deploy",
    "滚动": "rolling rollout",
    "回滚": "rollback undo",
    "卡住": "stuck",
    "部署": "deployment deploy",
    "目标": "target",
    "抓取": "scrape",
    "采集": "scrape",
    "告警": "alert",
    "报警": "alert",
    "疲劳": "fatigue noise",
    "静默": "silence",
    "抑制": "inhibit inhibition",
    "日志": "logs",
    "事件": "events",
    "网络": "network",
    "超时": "timeout",
    "连接": "connection",
    "数据库": "database",
    "排查": "diagnose troubleshoot",
    "诊断": "diagnose diagnosis",
    "修复": "fix remediation",
    "症状": "symptoms",
    "原因": "cause",
    "命令": "command",
    "存储": "storage volume",
    "卷": "volume",
    "持久卷": "persistentvolume pvc",
    "流量": "traffic",
    "负载": "load",
    "资源": "resource",
    "污点": "taint",
    "容忍": "toleration",
    "亲和": "affinity",
    "密钥": "secret",
    "配置": "config configmap",
    "队列": "queue",
    "吞吐": "throughput",
    "查询": "query",
    "规则": "rule",
}


@lru_cache(maxsize=1)
def _maps() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    zh_to_en: dict[str, tuple[str, ...]] = {}
    en_to_zh: dict[str, list[str]] = {}
    for zh, en in GLOSSARY.items():
        en_tokens = tuple(dict.fromkeys(tokenize(en)))
        for zh_token in set(tokenize(zh)) | {zh}:
            zh_to_en[zh_token] = tuple(dict.fromkeys(zh_to_en.get(zh_token, ()) + en_tokens))
        for token in en_tokens:
            en_to_zh.setdefault(token, []).extend(t for t in tokenize(zh) if t not in en_to_zh)
    return zh_to_en, {k: tuple(dict.fromkeys(v)) for k, v in en_to_zh.items()}


def translations(token: str) -> tuple[str, ...]:
    """Tokens of the other language that mean ``token`` (empty if the glossary lacks it)."""
    zh_to_en, en_to_zh = _maps()
    return zh_to_en.get(token) or en_to_zh.get(token) or ()


def expand(tokens: list[str]) -> list[str]:
    """``tokens`` followed by their translations, without duplicates."""
    extra = [alt for token in tokens for alt in translations(token)]
    return list(dict.fromkeys([*tokens, *extra]))
