Attribute VB_Name = "Fengong"
' fengong buttons for the control workbook (macros/fengong_*.xlsm).
' Each Sub runs the standalone fengong.exe through xlwings' RunFrozenPython (module xlwings),
' which appends --wb=... --from_xl=1 --app=... --hwnd=... so the exe reads and writes this
' workbook. The exe path is the cell named FG_EXE (relative paths: beside this workbook).
' VBA source is code page 1252: keep this file ASCII; Chinese text is built by Zh() from
' UTF-16 code points, or lives in the sheet and the ribbon XML.
Option Explicit

Public Sub FgImportPlan()
    RunAction "import"
End Sub

Public Sub FgDistribute()
    RunAction "distribute"
End Sub

Public Sub FgValidate()
    RunAction "validate"
End Sub

Public Sub FgRollup()
    RunAction "rollup"
End Sub

Public Sub FgGantt()
    RunAction "gantt"
End Sub

' Ribbon callback (customUI14.xml): the button's tag is the action.
Public Sub FgRibbon(control As Object)
    RunAction control.Tag
End Sub

Private Sub RunAction(ByVal action As String)
    Dim exe As String
    exe = ExePath()
    If Not CreateObject("Scripting.FileSystemObject").FileExists(exe) Then
        MsgBox Zh("627E 4E0D 5230") & " fengong " & Zh("7A0B 5E8F FF1A") & exe & vbLf & _
               Zh("8BF7 5728 201C 63A7 5236 53F0 201D 8868 7684 201C 7A0B 5E8F 4F4D 7F6E 201D 4E00 680F 586B 5199") & _
               " fengong.exe " & Zh("7684 4F4D 7F6E FF08 9ED8 8BA4 653E 5728 672C 5DE5 4F5C 7C3F 65C1 7684") & _
               " fengong " & Zh("6587 4EF6 5939 4E2D FF09 3002"), vbExclamation, "fengong"
        Exit Sub
    End If
    Application.StatusBar = Zh("6B63 5728 8FD0 884C") & " fengong " & action & Zh("2026 2026")
    RunFrozenPython exe, "xl " & action
    Application.StatusBar = False
End Sub

Private Function ExePath() As String
    Dim p As String
    On Error Resume Next
    p = Trim$(CStr(ThisWorkbook.Names("FG_EXE").RefersToRange.Value))
    On Error GoTo 0
    If p = "" Then p = "fengong\fengong.exe"
    If Not (p Like "[A-Za-z]:*" Or Left$(p, 2) = "\\") Then p = ThisWorkbook.Path & "\" & p
    ExePath = p
End Function

' Chinese text from UTF-16 code points in hex ("627E 4E0D"), since the source must stay ASCII.
Private Function Zh(ByVal codes As String) As String
    Dim part As Variant
    For Each part In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & part))
    Next
End Function
