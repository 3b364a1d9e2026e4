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
ENVIRONMENT = {"WIN16": False, "WIN32": True, "WIN64": True, "MAC": False, "VBA6": False, "VBA7": True,
               "MAC_OFFICE_VERSION": 0}
DIRECTIVE = re.compile(r"^[ \t]*#", re.MULTILINE)


def precompiled(source: str) -> str:
    """`source` with the directives and the lines of branches not compiled commented out."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4_vba.vba_ccLexer import vba_ccLexer
    from antlr4_vba.vba_ccParser import vba_ccParser
    from vba_precompiler.precompiler_visitor import PrecompilerVisitor

    visitor = PrecompilerVisitor()
    visitor.env = dict(ENVIRONMENT)
    off = set(visitor.visit(vba_ccParser(CommonTokenStream(vba_ccLexer(InputStream(source)))).startRule()))
    return "\n".join(f"'{line}" if n in off else line for n, line in enumerate(source.split("\n"), start=1))


def syntax_errors(source: str) -> list[str]:
    """The lexer's and parser's complaints about a module, as "line:column message"."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from antlr4_vba.vbaLexer import vbaLexer
    from antlr4_vba.vbaParser import vbaParser

    class Collect(ErrorListener):
        def __init__(self) -> None:
            self.errors: list[str] = []

        def syntaxError(self, recognizer, offendingSymbol, line, column, msg, e) -> None:  # ANTLR names it
            self.errors.append(f"{line}:{column} {msg[:200]}")

    source = source.replace("\r\n", "\n")
    if DIRECTIVE.search(source):
        source = precompiled(source)
    errors = Collect()
    lexer = vbaLexer(InputStream(source))
    lexer.removeErrorListeners()
    lexer.addErrorListener(errors)
    parser = vbaParser(CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(errors)
    parser.startRule()
    return errors.errors


MODULES = sorted(p.name for p in MACROS.glob("*.bas"))


def test_the_modules_are_ours_and_xlwings():
    assert MODULES == ["Fengong.bas", "PlanButtons.bas", "xlwings.bas"]


@pytest.mark.parametrize("name", MODULES)
def test_module_parses(name):
    assert syntax_errors((MACROS / name).read_text("ascii")) == []


HEADER = 'Attribute VB_Name = "Snippet"\nOption Explicit\n'
GOOD = HEADER + """
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
BROKEN = {  # what is wrong → (snippet, the line the parser must stop at)
    "If without End If": (HEADER + 'Public Sub A()\n    If 1 = 1 Then\n        MsgBox "x"\nEnd Sub\n', 6),
    "Dim without a type": (HEADER + "Public Sub A()\n    Dim x As\nEnd Sub\n", 4),
    "unterminated string": (HEADER + 'Public Sub A()\n    MsgBox "fengong\nEnd Sub\n', 4),
    "For without an end value": (HEADER + "Public Sub A()\n    Dim i As Long\n    For i = 1 To\n    Next\nEnd Sub\n", 5),
    "unclosed parameter list": (HEADER + "Public Sub A(\nEnd Sub\n", 3),
    "Sub without End Sub": (HEADER + "Public Sub A()\n    Beep\n", 5),
}


def test_valid_snippet_parses():
    assert syntax_errors(GOOD) == []


@pytest.mark.parametrize("what", BROKEN)
def test_syntax_error_is_caught(what):
    snippet, line = BROKEN[what]
    errors = syntax_errors(snippet)
    assert errors, f"{what}: the parser accepted it"
    assert int(errors[0].split(":")[0]) == line, errors
