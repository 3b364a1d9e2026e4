// Validate Office Open XML packages (.xlsx/.xlsm/.xlam) with Microsoft's Open XML SDK validator
// (DocumentFormat.OpenXml 2.8.1, schema and semantic checks, Office 2013 rules), ribbon parts included.
// Built (mcs) and run (mono) by tests/oxval.py:  mono oxval.exe FILE...
// Output, one tab-separated record a line (tabs and newlines in messages become spaces):
//   FILE  <path>  <error count>
//   ERROR <path>  <part uri>  <xpath>  <error id>  <description>
//   OPEN  <path>  <exception>: <message>        (the SDK could not open the package)
// Exit status 0 when every file validates, 1 otherwise.
using System;
using System.Collections.Generic;
using System.Linq;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

static class OxVal {
    static string Clean(string s) {
        return (s ?? "").Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
    }

    static void Report(string path, string part, IEnumerable<ValidationErrorInfo> errs) {
        foreach (var e in errs) {
            Console.WriteLine("ERROR\t{0}\t{1}\t{2}\t{3}\t{4}", path, part,
                              Clean(e.Path == null ? "" : e.Path.XPath), Clean(e.Id), Clean(e.Description));
        }
    }

    static int Main(string[] args) {
        int bad = 0;
        var validator = new OpenXmlValidator(FileFormatVersions.Office2013);
        validator.MaxNumberOfErrors = 0;  // no limit
        foreach (var path in args) {
            try {
                using (var doc = SpreadsheetDocument.Open(path, false)) {
                    int count = 0;
                    foreach (var e in validator.Validate(doc).GroupBy(e => e.Part == null ? "" : e.Part.Uri.ToString())) {
                        Report(path, e.Key, e);
                        count += e.Count();
                    }
                    // The ribbon parts are not reached from the workbook part: validate their roots too.
                    var ribbon14 = doc.RibbonAndBackstageCustomizationsPart;
                    if (ribbon14 != null) {
                        var errs = validator.Validate(ribbon14.CustomUI).ToList();
                        Report(path, ribbon14.Uri.ToString(), errs);
                        count += errs.Count;
                    }
                    var ribbon12 = doc.RibbonExtensibilityPart;
                    if (ribbon12 != null) {
                        var errs = validator.Validate(ribbon12.CustomUI).ToList();
                        Report(path, ribbon12.Uri.ToString(), errs);
                        count += errs.Count;
                    }
                    Console.WriteLine("FILE\t{0}\t{1}", path, count);
                    if (count > 0) bad++;
                }
            } catch (Exception ex) {
                Console.WriteLine("OPEN\t{0}\t{1}: {2}", path, ex.GetType().Name, Clean(ex.Message));
                bad++;
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
