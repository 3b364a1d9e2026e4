"""Every VBA module we ship (macros/*.bas: ours and xlwings') parses with a VBA grammar, so a syntax
error shows up here instead of in Excel's VBA editor on a user's machine.

The grammar is antlr4-vba's (ANTLR 4, MS-VBAL); vba-precompiler first comments out the conditional
compilation branches (#If … #End If, in xlwings.bas) that 64-bit VBA 7 does not compile, as VBA does.
Broken snippets must fail, so the parser is seen to catch errors rather than accept anything.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

MACROS = Path(__file__).resolve().parents[1] / "macros"
# Office 2010 and later on 64-bit Windows; the #Else branches (VBA 6, Mac) are not parsed.
ENVIRONMENT = {
    "WIN16": False,
    "WIN32": True,
    "WIN64": True,
    "MAC": False,
    "VBA6": False,
    "VBA7": True,
    "MAC_OFFICE_VERSION": 0,
}
DIRECTIVE = re.compile(r"^[ \t]*#", re.MULTILINE)


class Collect:
    """An ANTLR error listener that keeps the complaints as "line:column message"."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e) -> None:  # ANTLR names it
        self.errors.append(f"{line}:{column} {msg[:200]}")

    def reportAmbiguity(self, *args) -> None: ...  # ANTLR names these too; not errors

    def reportAttemptingFullContext(self, *args) -> None: ...

    def reportContextSensitivity(self, *args) -> None: ...


def _listened(recognizer, errors: Collect):
    recognizer.removeErrorListeners()
    recognizer.addErrorListener(errors)
    return recognizer


def commented_out(source: str, errors: Collect) -> set[int]:
    """The line numbers (from 1) vba-precompiler comments out: directives, and branches not compiled."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4_vba.vba_ccLexer import vba_ccLexer
    from antlr4_vba.vba_ccParser import vba_ccParser
    from vba_precompiler.precompiler_visitor import PrecompilerVisitor

    before = len(errors.errors)
    lexer = _listened(vba_ccLexer(InputStream(source)), errors)
    tree = _listened(vba_ccParser(CommonTokenStream(lexer)), errors).startRule()
    if len(errors.errors) > before:
        return set()  # the visitor cannot walk a broken tree; the caller reports the errors
    visitor = PrecompilerVisitor()
    visitor.env = dict(ENVIRONMENT)
    return set(visitor.visit(tree))


def precompiled(source: str, errors: Collect) -> str:
    """`source` with the directives and the lines of branches not compiled commented out.

    The precompiler's grammar is slow on plain lines (half a minute for xlwings.bas), and only the
    directives decide: each run of other lines goes to it as one comment line standing for the run
    (line numbers in its complaints are then the skeleton's). This also avoids a quirk of its own: an
    indented directive after a line of spaces gets that line commented out instead of itself (seven
    `    #If Mac Then` lines of xlwings.bas)."""
    lines = source.split("\n")
    skeleton: list[str] = []
    stands_for: list[list[int]] = []  # skeleton line → the source lines it stands for
    run: list[int] = []
    for n, line in enumerate(lines, start=1):
        if DIRECTIVE.match(line) or line.startswith("Attribute "):
            if run:
                skeleton.append("'")
                stands_for.append(run)
                run = []
            skeleton.append(line)
            stands_for.append([n])
        else:
            run.append(n)
    if run:
        skeleton.append("'")
        stands_for.append(run)
    off = {n for k in commented_out("\n".join(skeleton), errors) for n in stands_for[k - 1]}
    return "\n".join(f"'{line}" if n in off else line for n, line in enumerate(lines, start=1))


def syntax_errors(source: str) -> list[str]:
    """The precompiler's, lexer's and parser's complaints about a module, as "line:column message"."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    source = source.replace("\r\n", "\n")
    errors = Collect()
    if DIRECTIVE.search(source):
        source = precompiled(source, errors)
        if errors.errors:
            return [f"#directives {e}" for e in errors.errors]
    lexer = _listened(vbaLexer(InputStream(source)), errors)
    _listened(vbaParser(CommonTokenStream(lexer)), errors).startRule()
    return errors.errors


MODULES = sorted(p.name for p in MACROS.glob("*.bas"))


def test_the_modules_are_ours_and_xlwings():
    assert MODULES == ["Fengong.bas", "PlanButtons.bas", "xlwings.bas"]


@pytest.mark.parametrize("name", MODULES)
def test_module_parses(name):
    assert syntax_errors((MACROS / name).read_text("ascii")) == []


HEADER = 'Attribute VB_Name = "Snippet"\nOption Explicit\n'
GOOD = (
    HEADER
    + """
Public Sub Check(ByVal entry As String)
    Dim i As Long, parts As Variant
    parts = Split(entry, " ")
    For i = LBound(parts) To UBound(parts)
        Select Case parts(i)
            Case "a": MsgBox "A", vbInformation, "fengong"
            Case Else: Application.Run "fengong.xlam!FgGantt"
        End Select
    Next
    If Dir(entry) = "" Then Exit Sub
End Sub
"""
)
BROKEN = {  # what is wrong → (snippet, the line the parser must stop at)
    "If without End If": (HEADER + 'Public Sub A()\n    If 1 = 1 Then\n        MsgBox "x"\nEnd Sub\n', 6),
    "Dim without a type": (HEADER + "Public Sub A()\n    Dim x As\nEnd Sub\n", 4),
    "unterminated string": (HEADER + 'Public Sub A()\n    MsgBox "fengong\nEnd Sub\n', 4),
    "For without an end value": (
        HEADER + "Public Sub A()\n    Dim i As Long\n    For i = 1 To\n    Next\nEnd Sub\n",
        5,
    ),
    "unclosed parameter list": (HEADER + "Public Sub A(\nEnd Sub\n", 3),
    "Sub without End Sub": (HEADER + "Public Sub A()\n    Beep\n", 5),
}


CONDITIONAL = (
    HEADER
    + """#Const App = "Microsoft Excel"
#If VBA7 Then
    Private Declare PtrSafe Function GetTickCount Lib "kernel32" () As Long
#ElseIf Mac Then
    Private Function GetTickCount() As Long
    End Function
#Else
    Private Declare Function GetTickCount Lib "kernel32" () As Long
#End If

Public Sub A()
#If App = "Microsoft Excel" Then
    Dim n As Long
    n = GetTickCount()
    #If Win64 And Not Mac Then
    n = n + 1
    #End If
#Else
    this is not VBA
#End If
End Sub
"""
)


def test_precompiled_as_vba_precompiler_does():
    full = commented_out(CONDITIONAL, Collect())
    fast = precompiled(CONDITIONAL, Collect()).split("\n")
    assert full == {n for n, line in enumerate(fast, start=1) if line.startswith("'")}
    assert full == {3, 4, 6, 7, 8, 9, 10, 11, 14, 17, 19, 20, 21, 22}  # directives; VBA 6, Mac, not-Excel lines
    assert syntax_errors(CONDITIONAL) == []
    assert syntax_errors(CONDITIONAL.replace("#End If\nEnd Sub", "End Sub"))[0].startswith("#directives")
    spaced = CONDITIONAL.replace("    n = GetTickCount()\n", "    n = GetTickCount()\n    \n")  # line 17: spaces
    assert {17, 18} & commented_out(spaced, Collect()) == {17}  # vba-precompiler's quirk
    assert precompiled(spaced, Collect()).split("\n")[16:18] == ["    ", "'    #If Win64 And Not Mac Then"]


def test_valid_snippet_parses():
    assert syntax_errors(GOOD) == []


@pytest.mark.parametrize("what", BROKEN)
def test_syntax_error_is_caught(what):
    snippet, line = BROKEN[what]
    errors = syntax_errors(snippet)
    assert errors, f"{what}: the parser accepted it"
    assert int(errors[0].split(":")[0]) == line, errors
