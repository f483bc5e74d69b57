"""Jinja2's sandbox, bounded: what a company's template may not do.

* No attribute starting with ``_`` (``''.__class__``, ``x['__globals__']``,
  ``x|attr('__init__')``): refused before the template runs (:func:`refuse_internals`,
  for every file of the user's folder too), and again by the sandbox while it runs.
* No number above :data:`MAX_NUMBER` passed to a call or a filter (``range(10**9)``,
  ``'x'|center(10**9)``) or used as a format width or precision (``'%*s' % (10**9, x)``,
  ``'{:>{w}}'.format(x, w=10**9)``), no power past :data:`MAX_POWER_BITS` bits.
* No text past :data:`MAX_TEXT` characters built by one operation (``*``, ``+``, ``~``,
  ``%``, ``str.format``, ``replace``, ``join``, ``indent``...): its size is predicted
  from the operands before it is built (:func:`text_size`, :func:`printf_size`,
  :data:`PREDICTED`, :data:`SIZED_METHODS`) and checked again on the result; no list
  grown past :data:`MAX_NUMBER` items by ``*``, ``+``, ``extend`` or ``sum``; no captured
  output (a macro, a ``{% set %}`` block) past :data:`MAX_OUTPUT` characters. Nothing is
  computed while compiling (no constant folding).
* Only the ``.md.j2`` / ``.html.j2`` files of the template's own folder may be loaded
  (:class:`UserFolderLoader`), none past :data:`MAX_TEMPLATE_BYTES`.
* At most :data:`TIME_LIMIT` seconds of work, compiling included (:func:`time_limit`;
  the renderer also stops output past :data:`MAX_OUTPUT` characters).

Each refusal is a :class:`TemplateRefused` (exit 1, one line).
"""

from __future__ import annotations

import contextvars
import functools
import math
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MappingView, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import jinja2.filters
import jinja2.utils
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from sreladder.core.errors import SreladderError

MAX_NUMBER = 100_000
MAX_TEXT = 1_000_000
MAX_OUTPUT = 20_000_000
MAX_PRINTED = 2 * MAX_OUTPUT  # printed by {{ }} in all: output and captured text
MAX_BUILT = 128 << 20  # bytes of texts and collections built by operations in one render
MAX_POWER_BITS = 4096
MAX_TEMPLATE_BYTES = 256 * 1024
TIME_LIMIT = 10.0
SUFFIXES = (".md.j2", ".html.j2")


class TemplateRefused(SreladderError):
    """A user template that reaches for Python internals or unbounded work (``line``:
    where, when known before it runs)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line


def check_numbers(values: Iterable[Any]) -> None:
    """Refuse a number too large to be an honest size, count or width."""
    for value in values:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (not math.isfinite(value) or abs(value) > MAX_NUMBER):
            raise TemplateRefused(f"a number above {MAX_NUMBER:,} ({value:.3g}) in a call")


# --- sizes: predicted before a text is built, checked after --------------------------


def text_size(value: Any, limit: int = MAX_TEXT, depth: int = 0) -> int:
    """About how many characters ``str(value)`` has, without building it; counting stops
    soon after ``limit``. Objects a template cannot build count as nothing (their text
    is bounded by the files they were read from)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bytes | bytearray):
        return len(value) * 4 + 3  # \xNN for each byte at worst
    if isinstance(value, bool | range) or value is None:
        return 30
    if isinstance(value, int):
        return value.bit_length() * 10 // 33 + 2
    if isinstance(value, float | complex):
        return 50
    if isinstance(value, jinja2.utils.Namespace):
        value = value._Namespace__attrs  # type: ignore[attr-defined]  # what its repr shows
    if isinstance(value, Mapping):
        value = value.items()
    if depth > 100 or not isinstance(value, Sequence | AbstractSet | MappingView):
        return 0  # a packet object, a macro, a generator: bounded by its own content
    items = value
    total = 2
    for item in items:
        total += 4 + text_size(item, limit - total, depth + 1)
        if total > limit:
            break
    return total


def check_text(size: int, what: str = "a text") -> None:
    """Refuse a text of ``size`` characters (predicted or built) past :data:`MAX_TEXT`."""
    if size > MAX_TEXT:
        raise TemplateRefused(f"{what} past {MAX_TEXT:,} characters")


_built: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("built", default=None)


@contextmanager
def build_budget() -> Iterator[None]:
    """Count, while rendering, the bytes of every text and collection an operation builds
    (:func:`check_result`): a template keeping many texts each under :data:`MAX_TEXT`
    (``d.update({i: 'x' * 99999})`` in a loop) is refused past :data:`MAX_BUILT` bytes
    in all, long before the time limit."""
    token = _built.set([0])
    try:
        yield
    finally:
        _built.reset(token)


def check_result(value: Any) -> Any:
    """``value``, when it is not a text or collection past :data:`MAX_TEXT`, nor one that
    takes what was built while rendering past :data:`MAX_BUILT`."""
    if isinstance(value, str | list | tuple | dict | set | frozenset):
        check_text(len(value), "a text or collection")
        built = _built.get()
        if built is not None:
            built[0] += sys.getsizeof(value)  # constant time: the object's own memory
            if built[0] > MAX_BUILT:
                raise TemplateRefused(f"texts and lists built past {MAX_BUILT >> 20} MiB in all")
    return value


def check_items(size: int) -> None:
    if size > MAX_NUMBER:
        raise TemplateRefused(f"a list past {MAX_NUMBER:,} items")


def _digits(text: str | None, star: Callable[[], Any]) -> int:
    if text is None:
        return 0
    value = star() if text == "*" else (int(text) if len(text) < 8 else MAX_NUMBER + 1)
    if not isinstance(value, int):
        return 0  # Python refuses it itself
    if abs(value) > MAX_NUMBER:
        raise TemplateRefused(f"a format width above {MAX_NUMBER:,}")
    return abs(value)


PRINTF_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d*))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)


def printf_size(text: str, values: Any) -> int:
    """An upper bound on the length of ``text % values`` (``'%*s' % (10**9, 'x')``)."""
    positional = list(values) if isinstance(values, tuple) else [values]
    keyed = values if isinstance(values, Mapping) else None
    position = 0

    def next_value() -> Any:
        nonlocal position
        position += 1
        return positional[position - 1] if position <= len(positional) else None

    total = len(text)
    for spec in PRINTF_SPEC.finditer(text):
        if spec["type"] == "%":
            continue
        width = _digits(spec["width"], next_value)
        precision = _digits(spec["prec"] or None, next_value)
        key = spec["key"]
        value = keyed.get(key) if keyed is not None and key is not None else next_value()
        total += max(width, precision + 30 + text_size(value))
        check_text(total, "a formatted text")
    return total


def _replace_size(text: Any, old: Any, new: Any, count: Any = None) -> int:
    if not all(isinstance(v, str) for v in (text, old, new)):
        return 0
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _join_size(separator: str, items: list[Any]) -> int:
    total = len(separator) * max(len(items) - 1, 0)
    for item in items:
        total += text_size(item)
        check_text(total, "a joined text")
    return total


# --- filters ---------------------------------------------------------------------------


def _indent_size(text: Any, width: Any = 4, *args: Any, **kwargs: Any) -> int:
    width = kwargs.get("width", width)
    step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    return text_size(text) + (str(text).count("\n") + 1) * abs(step)


def _wordwrap_size(text: Any, width: Any = 79, brk: Any = True, wrapstring: Any = None, *a: Any,
                   **kw: Any) -> int:  # fmt: skip
    """At most one break per ``width`` characters, space or line of the text."""
    width, wrapstring = kw.get("width", width), kw.get("wrapstring", wrapstring)
    step = len(wrapstring) if isinstance(wrapstring, str) else 1
    text = str(text) if isinstance(text, str) else ""
    width = width if isinstance(width, int) and width > 0 else 1
    breaks = min(len(text) // width + text.count(" ") + text.count("\n") + 1, len(text) + 1)
    return len(text) + breaks * step


def _format_size(text: Any, *args: Any, **kwargs: Any) -> int:
    return printf_size(text, kwargs or args) if isinstance(text, str) else 0


def _tojson_size(value: Any, indent: Any = None) -> int:
    return text_size(value) * (2 + (indent if isinstance(indent, int) else 0))


#: filter name -> the size of its result, predicted from its arguments (after any
#: context, environment or eval-context argument)
PREDICTED: dict[str, Callable[..., int]] = {
    "replace": _replace_size,
    "indent": _indent_size,
    "wordwrap": _wordwrap_size,
    "format": _format_size,
    "tojson": _tojson_size,
    "string": lambda value, *a, **k: text_size(value),
    "pprint": lambda value, *a, **k: text_size(value) * 2,
    "forceescape": lambda value, *a, **k: text_size(value) * 6,
    "urlencode": lambda value, *a, **k: text_size(value) * 9,
}


def bounded(func: Callable[..., Any], name: str = "") -> Callable[..., Any]:
    """``func`` (a filter) refusing numbers :func:`check_numbers` refuses, a result
    predicted (:data:`PREDICTED`) or found past :data:`MAX_TEXT`; Jinja2 calls filters
    directly, not through the sandbox's ``call``."""
    passed = 1 if hasattr(func, "jinja_pass_arg") else 0
    predict = PREDICTED.get(name)

    @functools.wraps(func)  # keeps Jinja2's pass_context / pass_environment marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_numbers([*args, *kwargs.values()])
        if predict is not None:
            check_text(predict(*args[passed:], **kwargs), f"the {name} filter's text")
        return check_result(func(*args, **kwargs))

    return wrapper


@jinja2.pass_eval_context
def bounded_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    """``join``, refusing a text past :data:`MAX_TEXT` before it is built."""
    items = list(value)
    if attribute is not None:
        getter = jinja2.filters.make_attrgetter(eval_ctx.environment, attribute)
        items = [getter(item) for item in items]
    _join_size(str(d), items)
    return jinja2.filters.sync_do_join(eval_ctx, items, d)


@jinja2.pass_environment
def bounded_sum(env: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """``sum``, refusing a list grown past :data:`MAX_NUMBER` items on the way."""
    if attribute is not None:
        iterable = map(jinja2.filters.make_attrgetter(env, attribute), iterable)
    total = start
    for item in iterable:
        total = env.call_binop(None, "+", total, item)
    return total


# --- str.format ------------------------------------------------------------------------


class BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, refusing a width or precision past
    :data:`MAX_NUMBER` (``'{:>{w}}'.format('x', w=10**9)``) and a text past
    :data:`MAX_TEXT`, field by field."""

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.produced = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            check_text(text_size(value) * 2, "a formatted text")
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        for digits in re.findall(r"\d+", format_spec):
            if len(digits) > 7 or int(digits) > MAX_NUMBER:
                raise TemplateRefused(f"a format width above {MAX_NUMBER:,}")
        check_text(self.produced + text_size(value), "a formatted text")
        text = super().format_field(value, format_spec)
        self.produced += len(text)
        check_text(self.produced, "a formatted text")
        return text


class BoundedEscapeFormatter(BoundedFormatter, SandboxedEscapeFormatter):
    """:class:`BoundedFormatter` for ``Markup.format`` (escapes what it inserts)."""


# --- the environment -------------------------------------------------------------------


def concat_bounded(parts: Iterable[Any]) -> str:
    """The text a macro, ``{% set %}`` block or call block captured, refused past
    :data:`MAX_OUTPUT` characters before it is joined."""
    parts = list(parts)
    size = 0
    for part in parts:
        size += len(part)
        if size > MAX_OUTPUT:
            raise TemplateRefused(f"a captured text past {MAX_OUTPUT:,} characters")
    return "".join(parts)


class BoundedCodeGenerator(CodeGenerator):
    """Jinja2's code generator, with ``a ~ b`` going through the environment's
    :meth:`BoundedSandbox.concat_checked`, which checks the size before joining, and
    no printed expression computed while compiling (``{{ 'x'|center(99999) ~ ... }}``
    would be built there, past every check; the environment does not fold constants
    either)."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concat_checked({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _translate_size(text: str, table: Any = None, *args: Any, **kwargs: Any) -> int:
    if not isinstance(table, Mapping):
        return len(text)
    longest = max((text_size(value) for value in table.values()), default=1)
    return len(text) * max(longest, 1)


def _lipsum_size(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> int:
    """``lipsum(n, html, min, max)``: ``n`` paragraphs of up to ``max`` words."""
    whole = isinstance(n, int) and isinstance(max, int)
    return abs(n) * abs(max) * 12 if whole else 0


#: str method name -> the size of its result, predicted from its arguments
SIZED_METHODS: dict[str, Callable[..., int]] = {
    "translate": _translate_size,
    "replace": _replace_size,
    "join": lambda sep, items, *a, **k: _join_size(sep, list(items)),
    "expandtabs": lambda text, size=8, *a, **k: len(text) + text.count("\t") * abs(size),
}


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with a bound on the numbers and sizes a template can ask for:
    every operator that builds text or lists (``*``, ``+``, ``%``, ``~``, ``**``),
    every call and filter, ``str.format`` and captured output."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])
    code_generator_class = BoundedCodeGenerator
    concat = staticmethod(concat_bounded)

    def __init__(self, **kwargs: Any) -> None:
        # no constant folding: it would build `'x'|center(99999) ~ ...` while compiling,
        # past every check below
        super().__init__(**{"optimized": False, **kwargs})
        self.filters = {name: bounded(f, name) for name, f in self.filters.items()}
        self.filters["join"] = bounded(bounded_join, "join")
        self.filters["sum"] = bounded(bounded_sum, "sum")
        self.printed = 0

    def count_printed(self, value: Any) -> None:
        """Count a value printed by ``{{ ... }}``: past :data:`MAX_PRINTED` characters in all
        (output and text captured by macros and ``{% set %}`` blocks, which are joined only
        at their end), the template is refused."""
        size = text_size(value)
        check_text(size, "a printed value")
        self.printed += size
        if self.printed > MAX_PRINTED:
            raise TemplateRefused(f"printed values past {MAX_PRINTED:,} characters in all")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            check_numbers([right])
            whole = isinstance(left, int) and isinstance(right, int)
            if whole and abs(left).bit_length() * abs(right) > MAX_POWER_BITS:
                raise TemplateRefused(f"a power past {MAX_POWER_BITS:,} bits")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str) and isinstance(count, int):
                    check_text(len(seq) * count, "a repeated text")
                elif isinstance(seq, list | tuple) and isinstance(count, int):
                    check_items(len(seq) * count)
        elif operator == "+":
            if isinstance(left, str) and isinstance(right, str):
                check_text(len(left) + len(right))
            elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
                check_items(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            printf_size(left, right)
        return check_result(super().call_binop(context, operator, left, right))

    def concat_checked(self, join: Callable[[Any], str], parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``: refused before it is built when it would pass :data:`MAX_TEXT`."""
        size = 0
        for part in parts:
            size += text_size(part)
            check_text(size, "a joined text")
        return check_result(join(parts))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        check_numbers([*args, *kwargs.values()])
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if __obj is jinja2.utils.generate_lorem_ipsum:
            check_text(_lipsum_size(*args, **kwargs), "lipsum's text")
        elif isinstance(owner, str) and name in SIZED_METHODS:
            check_text(SIZED_METHODS[name](owner, *args, **kwargs), f"str.{name}'s text")
        elif isinstance(owner, list) and name == "extend":
            check_items(len(owner) + sum(len(a) for a in args if hasattr(a, "__len__")))
        return check_result(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` / ``format_map`` through :class:`BoundedFormatter`."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__
        formatter = (
            BoundedEscapeFormatter(self, escape=owner.escape)
            if isinstance(owner, Markup)
            else BoundedFormatter(self)
        )
        is_map = value.__name__ == "format_map"

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return check_result(type(owner)(formatter.vformat(owner, args, kwargs)))

        return functools.update_wrapper(bounded_format, value)


class UserFolderLoader(jinja2.BaseLoader):
    """The folder of a company's template, for ``{% include %}``, ``{% extends %}`` and
    ``{% import %}``: only its ``.md.j2`` / ``.html.j2`` files (subfolders too), no
    hidden file or folder, nothing outside it (no ``..``, no absolute path, no link
    out of it), no file past :data:`MAX_TEMPLATE_BYTES`; each one checked by
    :func:`refuse_internals` before it is compiled."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        parts = template.replace("\\", "/").split("/")
        hidden = any(part.startswith(".") or not part for part in parts)
        if hidden or not template.endswith(SUFFIXES) or Path(template).is_absolute():
            raise TemplateRefused(
                f"it loads {template!r}: a template may load only the shipped templates "
                "and the .md.j2 / .html.j2 files of its own folder (no hidden file, no "
                "path out of the folder)"
            )
        path = self.folder.joinpath(*parts)
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        real = path.resolve()
        if not real.is_relative_to(self.folder) or not real.name.endswith(SUFFIXES):
            raise TemplateRefused(
                f"it loads {template!r}, a link to a file that is not a template of its folder"
            )
        source = read_template(path)
        refuse_internals(environment, source, str(path))
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def read_template(path: Path) -> str:
    """A user template's text: UTF-8, at most :data:`MAX_TEMPLATE_BYTES` bytes."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise SreladderError(f"{path}: cannot read the template: {exc.strerror or exc}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise SreladderError(f"{path}: template larger than {MAX_TEMPLATE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SreladderError(f"{path}: template is not UTF-8 text") from None


def refuse_internals(env: jinja2.Environment, source: str, name: str) -> None:
    """Refuse, before anything runs, a template that names an attribute starting with
    ``_`` (``''.__class__``, ``x['__globals__']``, ``x|attr('__init__')``)."""
    tree = env.parse(source, name, name)
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Getattr):
            key: Any = node.attr
        elif isinstance(node, nodes.Getitem):
            key = node.arg.value if isinstance(node.arg, nodes.Const) else None
        else:
            key = (
                node.args[0].value
                if node.name == "attr" and node.args and isinstance(node.args[0], nodes.Const)
                else None
            )
        if isinstance(key, str) and key.startswith("_"):
            raise TemplateRefused(
                f"it reaches for {key!r} (names starting with '_' are Python internals)",
                name,
                node.lineno,
            )


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop a template that works longer than ``seconds`` (main thread, POSIX)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise TemplateRefused(f"template stopped after {seconds:g} s of work")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
