"""The demo's own MCP server (stdio, on the official SDK): a clock and a calculator, so `--demo` shows tools offline.

Run as `python -m reasonchat.demo.mcp_server` (stdio), or with `--http PORT` as a Streamable HTTP server on
127.0.0.1:PORT/mcp. The calculator parses arithmetic with `ast` and evaluates
only numbers and + - * / // % ** and parentheses — never `eval` — with exponents and results bounded, so a
model cannot make it compute for minutes.
"""

from __future__ import annotations

import ast
import operator
import sys
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[float], float]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}
LIMIT = 10.0**100


def calculate(expression: str) -> str:
    """The value of an arithmetic expression, as text; ValueError (one line) for anything else."""
    if len(expression) > 500:
        raise ValueError("the expression is longer than 500 characters")
    try:
        tree = ast.parse(expression.replace("×", "*").replace("÷", "/").replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ValueError(f"not an arithmetic expression: {expression!r}") from None
    value = _value(tree.body)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return str(value)


def _value(node: ast.expr) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and (abs(right) > 1000 or abs(left) > 10**6):
            raise ValueError("that power is too large to compute here")
        try:
            result = _BINARY[type(node.op)](left, right)
        except ZeroDivisionError:
            raise ValueError("division by zero") from None
        if isinstance(result, complex) or abs(result) > LIMIT:
            raise ValueError("the result is out of range")
        return result
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_value(node.operand))
    raise ValueError("only numbers, + - * / // % ** and parentheses are allowed")


def now(timezone: str = "UTC") -> str:
    """The time now in `timezone` (an IANA name), ISO 8601 with the weekday."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone {timezone!r} (an IANA name such as Asia/Shanghai)") from None
    moment = datetime.now(zone)
    return f"{moment.isoformat(timespec='seconds')} ({moment.strftime('%A')}, {timezone})"


def main() -> None:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    server = MCPServer("reasonchat-demo")

    @server.tool(name="get_time", description="The current date and time in a timezone (IANA name, default UTC)")
    def get_time(timezone: str = "UTC") -> str:
        try:
            return now(timezone)
        except ValueError as exc:  # (a ToolError's message reaches the model; another exception's does not)
            raise ToolError(str(exc)) from None

    @server.tool(name="calculate",
                 description="Evaluate an arithmetic expression: numbers, + - * / // % ** and parentheses")
    def calculate_tool(expression: str) -> str:
        try:
            return calculate(expression)
        except ValueError as exc:
            raise ToolError(str(exc)) from None

    if "--http" in sys.argv:
        port = int(sys.argv[sys.argv.index("--http") + 1])
        server.run("streamable-http", host="127.0.0.1", port=port)
    else:
        server.run()


if __name__ == "__main__":
    main()
