from __future__ import annotations

from reasonchat.core.conversation import Message, build_request


def test_history_sends_answers_without_reasoning() -> None:
    history = [Message("user", "q1"), Message("assistant", "a1", reasoning="secret thoughts")]
    assert build_request(history, "q2") == [
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "q2"},
    ]


def test_send_reasoning_opt_in() -> None:
    history = [Message("user", "q1"), Message("assistant", "a1", reasoning="r1")]
    request = build_request(history, "q2", send_reasoning=True)
    assert request[1] == {"role": "assistant", "content": "a1", "reasoning_content": "r1"}


def test_failed_turns_are_left_out_so_roles_alternate() -> None:
    history = [
        Message("user", "q1"), Message("assistant", "", status="error"),
        Message("user", "q2"), Message("assistant", "a2"),
        Message("user", "q3"),
    ]
    request = build_request(history, "q4")
    roles = [m["role"] for m in request]
    assert roles == ["user", "assistant", "user"]
    assert request[0]["content"] == "q2"


def test_system_prompt_latest_wins() -> None:
    history = [Message("system", "be brief"), Message("user", "q"), Message("assistant", "a")]
    assert build_request(history, "q2")[0] == {"role": "system", "content": "be brief"}
    assert build_request(history, "q2", system="be verbose")[0] == {"role": "system", "content": "be verbose"}
    assert build_request([], "q", system="s")[0] == {"role": "system", "content": "s"}


def test_answer_now_quotes_the_reasoning_into_the_last_user_message_and_touches_nothing_else() -> None:
    from reasonchat.core.conversation import answer_now_request

    request = [{"role": "system", "content": "s"}, {"role": "user", "content": "q1"},
               {"role": "assistant", "content": "a1"}, {"role": "user", "content": "q2"}]
    out = answer_now_request(request, "  line one\n\nline two  \n")
    assert out[:3] == request[:3]
    assert out[3] == {"role": "user", "content": "q2\n\n---\nYour reasoning on this so far was cut short. Do not think "
                      "further: give your answer now, from this reasoning:\n\n> line one\n>\n> line two"}
    assert request[3] == {"role": "user", "content": "q2"}  # the request it was given is left as it was


def test_every_newline_convention_becomes_a_newline() -> None:
    from reasonchat.core.conversation import normalize_newlines

    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert normalize_newlines("\r\r\n") == "\n\n"
    assert normalize_newlines("plain") == "plain"
