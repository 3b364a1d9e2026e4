Attribute VB_Name = "PlanButtons"
' The buttons on the first sheet of the plan template (macros/build_plan_template.py).
' Each runs the fengong.xlam macro of the same name (macros/Fengong.bas); no logic lives here. ASCII only.
Option Explicit

Public Sub FgDistribute()
    Application.Run "fengong.xlam!FgDistribute"
End Sub

Public Sub FgRollup()
    Application.Run "fengong.xlam!FgRollup"
End Sub

Public Sub FgGantt()
    Application.Run "fengong.xlam!FgGantt"
End Sub
