/// The reviewer's sheet's inline style sheet: system fonts only, readable on screen,
/// printable on A4 or Letter (no fixed page size; headers repeat, rows do not split).
enum ReviewSheetStyle {
    static let css = """
    @page { margin: 14mm 12mm; }
    body { font: 11pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
    h1 { font-size: 18pt; margin: .3em 0; }
    h2 { font-size: 14pt; border-bottom: 2px solid #333; margin: 1.4em 0 .5em; break-after: avoid; }
    h3 { font-size: 12pt; margin: 1.2em 0 .2em; break-after: avoid; }
    table { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; font-size: 10pt; }
    th, td { border: 1px solid #bbb; padding: .25em .45em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    thead { display: table-header-group; } tr { break-inside: avoid; }
    thead th { background: #eee; overflow-wrap: normal; } tbody th { background: #f6f6f6; width: 11em; font-weight: 600; }
    .checks td:nth-child(-n+2), .cats td:nth-child(-n+3), .approvals td:nth-child(1), .approvals td:nth-child(3), .approvals td:nth-child(4) { white-space: nowrap; overflow-wrap: normal; }
    .fields td:nth-child(1) { width: 45%; } .fields td:nth-child(3) { width: 6em; text-align: right; }
    tr.group th { background: #f2f2f2; font-weight: normal; width: auto; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 9.5pt; }
    pre { background: #f4f4f4; border: 1px solid #ccc; padding: .5em; white-space: pre-wrap; overflow-wrap: anywhere; }
    .digest { overflow-wrap: anywhere; word-break: break-all; } .big { font-size: 10.5pt; display: block; padding: .4em; border: 1px solid #999; }
    .kicker { color: #555; margin: 0; } .small { font-size: 9.5pt; color: #333; } .desc { font-style: italic; margin: .2em 0; }
    .verdict { border: 3px solid #333; padding: .4em .9em; margin: .6em 0; break-inside: avoid; }
    .verdict .word { font-size: 20pt; font-weight: bold; margin: .1em 0; letter-spacing: .04em; }
    .verdict.disclose { border-color: #a15c00; background: #fff6e5; } .verdict.disclose .word { color: #8a4b00; }
    .verdict.no_data { border-color: #2e7d32; background: #eef7ee; } .verdict.no_data .word { color: #1b5e20; }
    .verdict.refused { border-color: #b71c1c; background: #fdecec; } .verdict.refused .word { color: #b71c1c; }
    .pass { color: #1b5e20; font-weight: 600; } .fail { color: #b71c1c; font-weight: 600; } .warn { color: #8a4b00; font-weight: 600; }
    .act { display: inline-block; white-space: nowrap; min-width: 7.5em; font-weight: bold; padding: 0 .3em; border: 1px solid #777; margin-right: .4em; }
    .act.disclose { background: #ffe0b2; } .act.pseudonymize, .act.mask, .act.ip_prefix { background: #e3f2fd; } .act.withhold { background: #eee; }
    .banner { border: 3px solid #b71c1c; background: #fdecec; color: #b71c1c; font-weight: bold; padding: .5em; }
    mark.redacted { background: #e3f2fd; border: 1px dashed #1565c0; padding: 0 .2em; }
    .tag { font-size: 8pt; color: #1565c0; text-transform: uppercase; margin-left: .3em; }
    @media print { body { margin: 0; max-width: none; font-size: 10pt; } .verdict, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
    """
}
