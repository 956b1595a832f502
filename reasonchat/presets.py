"""Built-in provider presets, from the facts in PROVIDERS.md.

Each is a plain table in the same form as a `[presets.NAME]` table of config.toml, so the config can
override any field of a built-in preset (or define new presets) with exactly the same keys. Values
marked unconfirmed in PROVIDERS.md are ordinary fields: the config overrides them.
"""

from __future__ import annotations

from typing import Any

DEMO_BASE_URL = "builtin:demo"  # replaced by the in-process demo server's address when used

_ENABLED = {"thinking": {"type": "enabled"}}
_DISABLED = {"thinking": {"type": "disabled"}}

BUILTIN: dict[str, dict[str, Any]] = {
    "deepseek": {
        "description": "DeepSeek API",
        "base_url": "https://api.deepseek.com",
        "api_key_env": "DEEPSEEK_API_KEY",
        "model": "deepseek-v4-flash",
        "models": ["deepseek-v4-flash", "deepseek-v4-pro", "deepseek-reasoner", "deepseek-chat"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
    },
    "siliconflow": {
        "description": "SiliconFlow",
        "base_url": "https://api.siliconflow.cn/v1",
        "api_key_env": "SILICONFLOW_API_KEY",  # the usual name; unconfirmed
        "model": "Qwen/Qwen3-32B",
        "models": ["Qwen/Qwen3-32B", "deepseek-ai/DeepSeek-V3.2", "deepseek-ai/DeepSeek-R1",
                   "Pro/deepseek-ai/DeepSeek-R1", "Qwen/QwQ-32B", "zai-org/GLM-4.6"],
        "think_on": {"enable_thinking": True},
        "think_off": {"enable_thinking": False},
    },
    "bailian": {
        "description": "Alibaba Cloud Bailian (DashScope, OpenAI-compatible mode)",
        "base_url": "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "api_key_env": "DASHSCOPE_API_KEY",
        "model": "qwen-plus",
        "models": ["qwen-plus", "qwen3-max", "qwq-plus", "deepseek-r1", "deepseek-v3.2"],
        "think_on": {"enable_thinking": True},
        "think_off": {"enable_thinking": False},
    },
    "qianfan": {
        "description": "Baidu Qianfan (v2)",
        "base_url": "https://qianfan.baidubce.com/v2",
        "api_key_env": "QIANFAN_API_KEY",  # no standard name exists; this is ours
        "model": "deepseek-v3.2",
        "models": ["deepseek-v3.2", "deepseek-r1", "ernie-5.0-thinking-preview"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
    },
    "volcano": {
        "description": "Volcano Engine Ark",
        "base_url": "https://ark.cn-beijing.volces.com/api/v3",
        "api_key_env": "ARK_API_KEY",
        "model": "doubao-seed-1-6-251015",
        "models": ["doubao-seed-1-6-251015", "doubao-seed-1-8-251228", "deepseek-v3-2-251201"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
    },
    "vllm": {
        "description": "Local vLLM server (model: the first one it serves)",
        "base_url": "http://localhost:8000/v1",
        "api_key_env": "VLLM_API_KEY",
        "api_key": "EMPTY",  # what vLLM expects when started without --api-key
        "model": "",
        "think_on": {"chat_template_kwargs": {"enable_thinking": True}},
        "think_off": {"chat_template_kwargs": {"enable_thinking": False}},
    },
    "demo": {
        "description": "Offline demo: a local scripted server, no network, no key",
        "base_url": DEMO_BASE_URL,
        "api_key": "demo",
        "model": "demo",
        "models": ["demo", "shape-deepseek", "shape-think-tags", "fault-drop", "bench-20000@3000"],
        "think_on": {"thinking": {"type": "enabled"}},
        "think_off": {"thinking": {"type": "disabled"}},
    },
}
