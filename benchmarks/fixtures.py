"""Realistic data for the benchmarks, seeded and offline: what a user's answers, conversations and store look like.

An *answer* is 1–4k tokens of Markdown with what models really write: headings, paragraphs with inline code
and bold, nested lists, long code blocks (a fence of four backticks holding a three-backtick one among them),
wide tables, links with reference definitions at the end. *Reasoning* is 3–15k tokens of plain paragraphs.
Both come in English and Chinese. A *long conversation* is 50 such turns; a *large store* is 2,000
conversations / 100,000 messages of these sizes.

Tokens are estimated the way the demo server counts them (about four characters of English, or one to two
Chinese characters, a token).

    python -m benchmarks.fixtures          # prints one answer and the sizes
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

_ENGLISH = """
    the index query cache store request stream answer model token latency window buffer thread
    worker batch schema table column row page block segment vector embedding prompt context budget
    provider server client retry timeout proxy session conversation history search result render
    layout width height terminal screen widget event loop lag frame update read write commit
    rollback migration version config key value first then because however which while when where so
    that this those each every some many few more less
"""
_CHINESE = """
    数据 索引 查询 缓存 模型 推理 请求 响应 延迟 线程 批处理 表格 字段 记录 页面
    向量 嵌入 提示 上下文 预算 服务器 客户端 重试 超时 代理 会话 历史 搜索 结果
    渲染 布局 宽度 终端 屏幕 事件 循环 更新 读取 写入 提交 回滚 迁移 版本 配置
    我们 需要 考虑 因为 所以 但是 如果 那么 首先 然后 最后 这个 那个 每个 一些
    更多 较少 性能 内存 磁盘
"""
EN_WORDS = tuple(_ENGLISH.split())
ZH_WORDS = tuple(_CHINESE.split())
# Words a search may look for that few messages hold (about one message in 2,000 each).
RARE_WORDS = ("zephyrine", "quasitemporal", "鲸鱼", "琥珀")
LANGUAGES = ("python", "rust", "sql", "bash", "typescript", "go")
CODE_LINES = {
    "python": ["def handle(request: Request) -> Response:", "    rows = db.execute(query, (user_id,)).fetchall()",
               "    if not rows:", "        raise NotFound(f\"no rows for {user_id}\")",
               "    return Response([Row(*r) for r in rows])", "for attempt in range(retries):",
               "    try:", "        return await client.get(url, timeout=timeout)", "    except TimeoutError:",
               "        await asyncio.sleep(2 ** attempt)", "cache: dict[str, bytes] = {}",
               "    result = sorted(items, key=lambda item: item.score, reverse=True)[:10]"],
    "rust": ["fn handle(req: &Request) -> Result<Response, Error> {", "    let rows = db.query(&sql, &[&id])?;",
             "    for row in rows.iter() {", "        total += row.get::<_, i64>(0);", "    }",
             "    Ok(Response::new(total))", "}", "impl Drop for Guard {", "    fn drop(&mut self) { self.release(); }",
             "let mut buf = Vec::with_capacity(4096);"],
    "sql": ["SELECT c.id, c.title, count(m.id) AS messages", "FROM conversations c",
            "JOIN messages m ON m.conversation_id = c.id", "WHERE m.created_at > :since", "GROUP BY c.id",
            "ORDER BY messages DESC", "LIMIT 50;", "CREATE INDEX idx_messages_conv ON messages(conversation_id, id);"],
    "bash": ["set -euo pipefail", "for f in logs/*.log; do", "  grep -c ERROR \"$f\"", "done | sort -n | tail -5",
             "curl -sS -H \"Authorization: Bearer $TOKEN\" \"$URL/v1/models\" | jq '.data[].id'",
             "export HTTPS_PROXY=http://proxy:3128"],
    "typescript": ["export async function load(id: string): Promise<Item[]> {",
                   "  const res = await fetch(`/api/items/${id}`);", "  if (!res.ok) throw new Error(res.statusText);",
                   "  return (await res.json()) as Item[];", "}", "const cache = new Map<string, Item>();"],
    "go": ["func Handle(w http.ResponseWriter, r *http.Request) {", "\trows, err := db.Query(q, id)",
           "\tif err != nil {", "\t\thttp.Error(w, err.Error(), 500)", "\t\treturn", "\t}", "\tdefer rows.Close()",
           "}"],
}


class Writer:
    """Text in one language, drawn from a seeded generator."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang

    def words(self, n: int) -> str:
        pool = ZH_WORDS if self.lang == "zh" else EN_WORDS
        picked = [self.rng.choice(pool) for _ in range(n)]
        return "".join(picked) if self.lang == "zh" else " ".join(picked)

    def sentence(self) -> str:
        if self.lang == "zh":
            return self.words(self.rng.randint(6, 16)) + self.rng.choice("。，；？")
        text = self.words(self.rng.randint(8, 22))
        return text[0].upper() + text[1:] + self.rng.choice([".", ".", ".", "?", ";"])

    def paragraph(self, sentences: tuple[int, int] = (2, 6)) -> str:
        joiner = "" if self.lang == "zh" else " "
        return joiner.join(self.sentence() for _ in range(self.rng.randint(*sentences)))

    def inline(self) -> str:
        """A paragraph with inline code, bold and a reference link, as models write them."""
        parts = [self.paragraph((1, 3))]
        parts.append(f"`{self.rng.choice(['cache', 'retry()', 'WAL', 'O(n log n)', '--base-url'])}`")
        parts.append(f"**{self.words(2)}**")
        ref = f"ref{self.rng.randint(1, 6)}"
        parts.append(f"[{self.words(2)}][{ref}]")
        parts.append(self.paragraph((1, 2)))
        self.rng.shuffle(parts)
        return " ".join(parts)

    def code(self, lines: int) -> str:
        lang = self.rng.choice(LANGUAGES)
        body = [self.rng.choice(CODE_LINES[lang]) for _ in range(lines)]
        return f"```{lang}\n" + "\n".join(body) + "\n```"

    def nested_fence(self) -> str:
        """A Markdown example that itself holds a fenced block: the outer fence has four backticks."""
        inner = self.code(self.rng.randint(3, 8))
        return f"````markdown\nHere is how to show code:\n\n{inner}\n\nAnd text after it.\n````"

    def table(self) -> str:
        columns = self.rng.randint(6, 10)
        rows = self.rng.randint(10, 30)
        header = "| " + " | ".join(self.words(1) + f" {i}" for i in range(columns)) + " |"
        rule = "|" + "|".join("---" if i else ":---" for i in range(columns)) + "|"
        body = ["| " + " | ".join(self.words(self.rng.randint(1, 3)) for _ in range(columns)) + " |"
                for _ in range(rows)]
        return "\n".join([header, rule, *body])

    def nested_list(self) -> str:
        lines = []
        for i in range(self.rng.randint(3, 7)):
            ordered = self.rng.random() < 0.4
            lines.append(f"{i + 1}. {self.sentence()}" if ordered else f"- {self.sentence()}")
            for _ in range(self.rng.randint(0, 3)):
                lines.append(f"   - {self.sentence()}")
                if self.rng.random() < 0.3:
                    lines.append(f"     - `{self.words(1)}` {self.sentence()}")
        return "\n".join(lines)

    def heading(self, level: int) -> str:
        return "#" * level + " " + self.words(self.rng.randint(2, 5))


def estimate_tokens(text: str) -> int:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return int(cjk / 1.5 + (len(text) - cjk) / 4)


def answer(rng: random.Random, lang: str = "en", tokens: int | None = None) -> str:
    """One Markdown answer of `tokens` (default 1–4k) tokens."""
    target = tokens or rng.randint(1000, 4000)
    w = Writer(rng, lang)
    parts = [w.paragraph()]
    used_nested = False
    while estimate_tokens("\n\n".join(parts)) < target:
        kind = rng.random()
        if kind < 0.10:
            parts.append(w.heading(rng.choice([2, 2, 3])))
        elif kind < 0.38:
            parts.append(w.inline())
        elif kind < 0.56:
            parts.append(w.code(rng.randint(20, 120)))
        elif kind < 0.62 and not used_nested:
            parts.append(w.nested_fence())
            used_nested = True
        elif kind < 0.76:
            parts.append(w.nested_list())
        elif kind < 0.86:
            parts.append(w.table())
        else:
            parts.append(w.paragraph())
    refs = [f"[ref{i}]: https://example.com/docs/{i}/{w.words(1)}" for i in range(1, 7)]
    return "\n\n".join([*parts, "\n".join(refs)]) + "\n"


_FORMULAS = (r"x^2 - 5x + 6 = 0", r"\frac{5 \pm 1}{2}", r"\Delta = b^2 - 4ac", r"x_{i+1} = \sqrt{x_i + 1}",
             r"\sum_{k=1}^{n} k = \frac{n(n+1)}{2}", r"a \equiv b \pmod{m}", r"\alpha + \beta = 90^\circ",
             r"\lim_{n \to \infty} \left(1 + \frac{1}{n}\right)^n = e", r"\int_0^1 x^2 \, dx = \frac{1}{3}",
             r"\binom{n}{k}", r"f(x) \le g(x)", r"\mathbb{R}^n", r"p \implies q")
_DISPLAYS = (
    "\\[\n{f}\n\\]",
    "$${f}$$",
    "\\begin{{align*}}\nx + y &= 10 \\\\\nx - y &= {f}\n\\end{{align*}}",
    "$$A = \\begin{{pmatrix}} 1 & 2 \\\\ 3 & 4 \\end{{pmatrix}}, \\quad {f}$$",
)


def math_answer(rng: random.Random, lang: str = "en", tokens: int | None = None) -> str:
    """A realistic answer (`answer`) of which half the blocks carry math, as DeepSeek (`\\( \\)`, `\\[ \\]`) and
    Qwen (`$ $`, `$$ $$`, `\\boxed`) write it: paragraphs with inline formulas, display blocks, environments."""
    target = tokens or rng.randint(1000, 4000)
    w = Writer(rng, lang)
    parts = [w.paragraph()]
    while estimate_tokens("\n\n".join(parts)) < target:
        if rng.random() < 0.5:
            parts.append(rng.choice([w.paragraph, w.inline, lambda: w.code(rng.randint(10, 40)), w.table])())
            continue
        formula = rng.choice(_FORMULAS)
        if rng.random() < 0.6:
            words = w.paragraph().split(" ")
            at = rng.randrange(1, max(2, len(words)))
            span = f"\\( {formula} \\)" if rng.random() < 0.5 else f"${formula}$"
            parts.append(" ".join([*words[:at], span, *words[at:]]))
        else:
            parts.append(rng.choice(_DISPLAYS).format(f=formula))
    parts.append(f"**Final Answer:** \\( \\boxed{{{rng.choice(_FORMULAS)}}} \\)")
    return "\n\n".join(parts) + "\n"


def reasoning(rng: random.Random, lang: str = "en", tokens: int | None = None) -> str:
    """Plain reasoning of `tokens` (default 3–15k) tokens: paragraphs, now and then a short list."""
    target = tokens or rng.randint(3000, 15000)
    w = Writer(rng, lang)
    parts: list[str] = []
    size = 0
    while size < target:
        part = w.nested_list() if rng.random() < 0.08 else w.paragraph((3, 8))
        parts.append(part)
        size += estimate_tokens(part)
    return "\n\n".join(parts)


def question(rng: random.Random, lang: str = "en") -> str:
    w = Writer(rng, lang)
    return w.sentence() + ("" if lang == "zh" else " ") + w.sentence()


def conversation(rng: random.Random, turns: int = 50, math: bool = False) -> Iterator[tuple[str, str, str]]:
    """(question, reasoning, answer) for `turns` turns; about one in three turns is Chinese (`math`: the
    answers carry math, `math_answer`)."""
    for _ in range(turns):
        lang = "zh" if rng.random() < 0.35 else "en"
        yield question(rng, lang), reasoning(rng, lang), (math_answer if math else answer)(rng, lang)


def seed_long_conversation(store_path: Path, turns: int = 50, seed: int = 14, marker: str = "",
                           math: bool = False) -> int:
    """A store holding one long conversation, `marker` closing its last answer; returns its id."""
    from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta
    from reasonchat.core.reply import Reply
    from reasonchat.store import TranscriptStore

    rng = random.Random(seed)
    with TranscriptStore(store_path) as store:
        conversation_id = store.create_conversation("bench", "bench-model", "a long conversation")
        for number, (asked, thought, said) in enumerate(conversation(rng, turns, math)):
            if marker and number == turns - 1:
                said = (said.replace("\n\n[ref1]:", f"\n\n{marker}\n\n[ref1]:") if "\n\n[ref1]:" in said
                        else f"{said}\n{marker}\n")
            store.add_message(conversation_id, "user", asked)
            reply = Reply(model="bench-model", preset="bench")
            reply.apply(ReasoningDelta(thought))
            reply.apply(AnswerDelta(said))
            reply.apply(Finished("stop"))
            store.save_reply(conversation_id, reply)
    return conversation_id


def seed_large_store(store_path: Path, conversations: int = 2000, messages: int = 100_000, seed: int = 7,
                     pool: int = 400) -> dict[str, float]:
    """A store of `conversations` conversations and `messages` messages of realistic sizes.

    Texts are drawn from a pool of `pool` generated answers and reasonings (generating 50,000 distinct
    ones would take longer than the store's own work) with a few words of their own added to each, so
    every message is distinct and the index holds what it would. Each answer has its usage, as a provider
    reports it. Returns sizes and timings."""
    import json

    from reasonchat.store import TranscriptStore

    rng = random.Random(seed)
    started = time.perf_counter()
    langs = ["zh" if rng.random() < 0.35 else "en" for _ in range(pool)]
    answers = [answer(rng, lang) for lang in langs]
    thoughts = [reasoning(rng, lang) for lang in langs]
    TranscriptStore(store_path).close()  # the schema, migrations and all
    conn = sqlite3.connect(store_path)
    from reasonchat.store import cjk

    cjk.register(conn)  # the pair index's triggers call it, as on any connection that writes messages
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    per_conversation = messages // conversations
    now = time.time() - messages * 60.0
    text_bytes = 0
    for number in range(conversations):
        with conn:
            cur = conn.execute("INSERT INTO conversations(title, preset, model, created_at, updated_at) "
                               "VALUES (?, 'bench', 'bench-model', ?, ?)", (f"conversation {number}", now, now))
            conversation_id = cur.lastrowid
            rows = []
            for turn in range(per_conversation // 2):
                k = rng.randrange(pool)
                lang = langs[k]
                w = Writer(rng, lang)
                asked = question(rng, lang)
                said = answers[k] + "\n" + w.sentence()
                if rng.random() < len(RARE_WORDS) / 2000:
                    said += " " + rng.choice(RARE_WORDS) + " " + w.sentence()
                thought = w.sentence() + "\n\n" + thoughts[k]
                now += 60.0
                text_bytes += len(asked.encode()) + len(said.encode()) + len(thought.encode())
                prompt = 40 + turn * 900  # the conversation so far, without its reasoning
                thinking, answering = estimate_tokens(thought), estimate_tokens(said)
                usage = {"prompt_tokens": prompt, "completion_tokens": thinking + answering,
                         "total_tokens": prompt + thinking + answering,
                         "completion_tokens_details": {"reasoning_tokens": thinking},
                         "prompt_tokens_details": {"cached_tokens": 0}}
                rows.append((conversation_id, "user", asked, "", None, None, "complete", now, now, None, None,
                             None, None))
                rows.append((conversation_id, "assistant", said, thought, "bench-model", "bench", "complete", now, now,
                             prompt, thinking + answering, thinking, json.dumps(usage)))
            conn.executemany(
                "INSERT INTO messages(conversation_id, role, content, reasoning, model, preset, status, created_at,"
                " updated_at, prompt_tokens, completion_tokens, reasoning_tokens, usage_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    disk = sum(p.stat().st_size for p in store_path.parent.glob(store_path.name + "*"))
    return {"seconds": time.perf_counter() - started, "text_bytes": text_bytes, "disk_bytes": disk}


def main() -> None:
    rng = random.Random(1)
    sample = answer(rng, "en")
    print(sample[:3000])
    print("…")
    for lang in ("en", "zh"):
        a = [answer(rng, lang) for _ in range(20)]
        r = [reasoning(rng, lang) for _ in range(5)]
        print(f"{lang}: answers {min(map(estimate_tokens, a))}–{max(map(estimate_tokens, a))} tokens, "
              f"{sum(map(len, a)) // len(a):,} characters on average; reasoning "
              f"{min(map(estimate_tokens, r))}–{max(map(estimate_tokens, r))} tokens")


if __name__ == "__main__":
    main()
