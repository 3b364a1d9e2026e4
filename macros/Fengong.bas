Attribute VB_Name = "Fengong"
' fengong.xlam: the ribbon tab (customUI14.xml) calls FgRibbon; the button's tag is the entry
' point; the plan template's buttons (macros/PlanButtons.bas) call FgDistribute, FgRollup and
' FgGantt through Application.Run. RunFrozenPython (module xlwings) runs fengong.exe, which sits
' next to this add-in, as
' "fengong.exe xl TAG --wb=fengong.xlam --from_xl=1 --app=... --hwnd=..."; the exe works on the
' active workbook and reports back itself. All Chinese text lives in Python and the ribbon XML;
' VBA source is code page 1252, so this file stays ASCII (Zh builds the one message needed here).
Option Explicit

Public Sub FgRibbon(control As Object)
    FgRun control.Tag
End Sub

Public Sub FgDistribute()
    FgRun "distribute"
End Sub

Public Sub FgRollup()
    FgRun "rollup"
End Sub

Public Sub FgGantt()
    FgRun "gantt"
End Sub

Private Sub FgRun(ByVal entry As String)
    Dim exe As String
    exe = ThisWorkbook.Path & "\fengong.exe"
    If Dir(exe) = "" Then
        MsgBox Zh("627E 4E0D 5230") & " fengong " & Zh("7A0B 5E8F FF1A") & exe & vbLf & _
               Zh("8BF7 628A") & " fengong.xlam " & Zh("4E0E") & " fengong.exe " & _
               Zh("653E 5728 540C 4E00 4E2A 6587 4EF6 5939 4E2D 3002"), vbExclamation, "fengong"
        Exit Sub
    End If
    Application.StatusBar = Zh("6B63 5728 8FD0 884C") & " fengong " & entry & Zh("2026 2026")
    RunFrozenPython exe, "xl " & entry
    Application.StatusBar = False
End Sub

' Text from UTF-16 code points in hex ("627E 4E0D"), since the source must stay ASCII.
Private Function Zh(ByVal codes As String) As String
    Dim part As Variant
    For Each part In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & part))
    Next
End Function
