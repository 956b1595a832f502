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


def _efforts(field: str, levels: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {level: {field: value} for level, value in levels.items()}


# Effort levels as each provider takes them (sources and dates: docs/thinking-and-cost.md). DeepSeek maps
# medium to high itself, so medium is sent as high and shown so. Providers that take only a token budget get
# one per level: ours, not theirs — 1k, 4k (SiliconFlow's default), 16k, 32k (its maximum).
_DEEPSEEK_EFFORT = _efforts("reasoning_effort", {"low": "low", "high": "high", "max": "max"})
_ARK_EFFORT = _efforts("reasoning_effort", {"low": "low", "medium": "medium", "high": "high"})
_BUDGETS = {"low": 1024, "medium": 4096, "high": 16384, "max": 32768}

# Prices per million tokens, in CNY, as read on the date given (docs/thinking-and-cost.md says where). They
# change: edit them in your config (`[presets.NAME] price = {...}`) when they do. DeepSeek's are its peak
# rates (off-peak is half); Qwen3 hosts charge more for output when the model thinks (`output_thinking`).
_READ = "2026-11-29"
_PRICES: dict[str, dict[str, Any]] = {
    "deepseek": {"input": 2.0, "input_cached": 0.04, "output": 8.0, "currency": "CNY", "as_of": _READ,
                 "source": "api-docs.deepseek.com/zh-cn/quick_start/pricing (peak)",
                 "models": {"deepseek-v4-pro": {"input": 9.0, "input_cached": 0.3, "output": 27.0}}},
    "siliconflow": {"models": {"Qwen/Qwen3-32B": {"input": 1.0, "output": 4.0}}, "currency": "CNY", "as_of": _READ,
                    "source": "secondary: siliconflow.cn list price as quoted by resellers"},
    "bailian": {"models": {"qwen-plus": {"input": 0.8, "output": 2.0, "output_thinking": 8.0}}, "currency": "CNY",
                "as_of": _READ, "source": "secondary: Model Studio list price (input <= 128K) as quoted"},
    "qianfan": {"models": {"deepseek-v3.2": {"input": 2.0, "output": 3.0}}, "currency": "CNY", "as_of": _READ,
                "source": "secondary: DeepSeek-V3.2 list price, which Qianfan matches"},
    "volcano": {"models": {"doubao-seed-1-6-251015": {"input": 0.8, "output": 8.0}}, "currency": "CNY",
                "as_of": _READ, "source": "secondary: Ark list price for input <= 32K, as quoted"},
}

# The models that take images, as read on 2026-12-02 from each provider's model pages (secondary where a
# reseller's list was all there was; unconfirmed like the prices): an image to any other model is refused
# before it is sent. A preset's `vision = true` (or its own `vision_models`) in the config says otherwise.
_VISION: dict[str, list[str]] = {
    "siliconflow": ["Qwen/Qwen3-VL-32B-Instruct", "Qwen/Qwen3-VL-235B-A22B-Thinking", "Qwen/QVQ-72B-Preview",
                    "zai-org/GLM-4.5V"],  # docs.siliconflow.cn, "Vision" (secondary for the list)
    "bailian": ["qwen3-vl-plus", "qwen-vl-max", "qvq-max"],  # Model Studio's vision models (secondary)
    "volcano": ["doubao-seed-1-6-251015", "doubao-seed-1-6-vision-250815"],  # Ark: Seed 1.6 reads images (secondary)
    "demo": ["demo-vision"],  # the demo server's model that takes images (demo/inputs.py)
}

# Context windows in tokens, as read on 2026-12-02 (unconfirmed like the prices; a server that says its own —
# vLLM's max_model_len — is believed first, a preset's `context_window` before both). They feed the status
# line's "context 12.3k / 1M" and the warning before a message that would not fit.
_WINDOWS: dict[str, dict[str, int]] = {
    # api-docs.deepseek.com/zh-cn/quick_start/pricing: 上下文长度 1M (resellers list 1,048,576)
    "deepseek": {"deepseek-v4-flash": 1_048_576, "deepseek-v4-pro": 1_048_576, "deepseek-flash": 1_048_576},
    # secondary: LobeChat's Ark model cards, "支持 256k 上下文窗口" for Doubao Seed 1.6
    "volcano": {"doubao-seed-1-6-251015": 256_000},
}

BUILTIN: dict[str, dict[str, Any]] = {
    "deepseek": {
        "description": "DeepSeek API",
        "base_url": "https://api.deepseek.com",
        "api_key_env": "DEEPSEEK_API_KEY",
        "model": "deepseek-v4-flash",
        "models": ["deepseek-v4-flash", "deepseek-v4-pro", "deepseek-reasoner", "deepseek-chat"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
        "tool_reasoning": True,  # thinking mode: a tool turn's reasoning_content must come back, or HTTP 400
        "schema_mode": "json_object",  # DeepSeek's JSON Output: json_object, the word "json" in the prompt
        "effort_map": _DEEPSEEK_EFFORT,
        "budget_key": "",
        "price": _PRICES["deepseek"],
        "context_windows": _WINDOWS["deepseek"],
    },
    "siliconflow": {
        "vision_models": _VISION["siliconflow"],
        "description": "SiliconFlow",
        "base_url": "https://api.siliconflow.cn/v1",
        "api_key_env": "SILICONFLOW_API_KEY",  # the usual name; unconfirmed
        "model": "Qwen/Qwen3-32B",
        "models": ["Qwen/Qwen3-32B", "deepseek-ai/DeepSeek-V3.2", "deepseek-ai/DeepSeek-R1",
                   "Pro/deepseek-ai/DeepSeek-R1", "Qwen/QwQ-32B", "zai-org/GLM-4.6"],
        "think_on": {"enable_thinking": True},
        "think_off": {"enable_thinking": False},
        "effort_map": _efforts("thinking_budget", _BUDGETS),
        "budget_key": "thinking_budget",
        "price": _PRICES["siliconflow"],
    },
    "bailian": {
        "vision_models": _VISION["bailian"],
        "description": "Alibaba Cloud Bailian (DashScope, OpenAI-compatible mode)",
        "base_url": "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "api_key_env": "DASHSCOPE_API_KEY",
        "model": "qwen-plus",
        "models": ["qwen-plus", "qwen3-max", "qwq-plus", "deepseek-r1", "deepseek-v3.2"],
        "think_on": {"enable_thinking": True},
        "think_off": {"enable_thinking": False},
        "effort_map": _efforts("thinking_budget", _BUDGETS),
        "budget_key": "thinking_budget",
        "price": _PRICES["bailian"],
    },
    "qianfan": {
        "description": "Baidu Qianfan (v2)",
        "base_url": "https://qianfan.baidubce.com/v2",
        "api_key_env": "QIANFAN_API_KEY",  # no standard name exists; this is ours
        "model": "deepseek-v3.2",
        "models": ["deepseek-v3.2", "deepseek-r1", "ernie-5.0-thinking-preview"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
        "effort_map": {},
        "budget_key": "",
        "price": _PRICES["qianfan"],
    },
    "volcano": {
        "vision_models": _VISION["volcano"],
        "description": "Volcano Engine Ark",
        "base_url": "https://ark.cn-beijing.volces.com/api/v3",
        "api_key_env": "ARK_API_KEY",
        "model": "doubao-seed-1-6-251015",
        "models": ["doubao-seed-1-6-251015", "doubao-seed-1-8-251228", "deepseek-v3-2-251201"],
        "think_on": _ENABLED,
        "think_off": _DISABLED,
        "effort_map": _ARK_EFFORT,
        "budget_key": "",
        "price": _PRICES["volcano"],
        "context_windows": _WINDOWS["volcano"],
    },
    "vllm": {
        "description": "Local vLLM server (model: the first one it serves)",
        "base_url": "http://localhost:8000/v1",
        "api_key_env": "VLLM_API_KEY",
        "api_key": "EMPTY",  # what vLLM expects when started without --api-key
        "model": "",
        "think_on": {"chat_template_kwargs": {"enable_thinking": True}},
        "think_off": {"chat_template_kwargs": {"enable_thinking": False}},
        "effort_map": _efforts("thinking_token_budget", _BUDGETS),
        "budget_key": "thinking_token_budget",
    },
    "demo": {
        "vision_models": _VISION["demo"],
        "description": "Offline demo: a local scripted server, no network, no key",
        "base_url": DEMO_BASE_URL,
        "api_key": "demo",
        "model": "demo",
        "models": ["demo", "shape-deepseek", "shape-volcano", "shape-think-tags", "think-slow", "fault-drop",
                   "bench-20000@3000"],  # (demo/scenarios.py SHOWCASE)
        "think_on": {"thinking": {"type": "enabled"}},
        "think_off": {"thinking": {"type": "disabled"}},
        "tool_reasoning": True,  # (the demo server holds clients to DeepSeek's rule)
        "effort_map": _DEEPSEEK_EFFORT,
        "budget_key": "thinking_budget",  # no price: the demo costs nothing, and shows no cost
    },
}
