package dev.tuneladder.core.report;

/**
 * The inline style sheet of report.html: a light page with system fonts, and print rules that keep each chart on
 * one page and print its colours.
 */
final class PageStyle {

    static final String CSS = """
            :root { color-scheme: light; }
            html { background: #ffffff; }
            body { margin: 0; background: #ffffff; color: #1f2328;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
            main { max-width: 980px; margin: 0 auto; padding: 24px 24px 48px; }
            h1 { font-size: 1.75rem; margin: 0 0 0.25rem; }
            h2 { font-size: 1.3rem; margin: 2.5rem 0 0.75rem; padding-bottom: 0.25rem;
              border-bottom: 1px solid #d0d7de; }
            h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
            p { max-width: 75ch; }
            .intro, .muted { color: #57606a; }
            nav ol { margin: 0.5rem 0 0; padding-left: 1.5rem; columns: 2; column-gap: 2rem; }
            nav a { color: #0550ae; }
            table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem;
              font-variant-numeric: tabular-nums; }
            th, td { padding: 0.35rem 0.6rem; border-bottom: 1px solid #d0d7de; text-align: left;
              vertical-align: top; }
            th { background: #f6f8fa; font-weight: 600; }
            thead th { vertical-align: bottom; }
            tbody th { min-width: 7rem; overflow-wrap: anywhere; }
            td.num, th.num { text-align: right; white-space: nowrap; }
            .ci { color: #57606a; }
            .table-wrap { overflow-x: auto; }
            figure { margin: 1.25rem 0 2rem; }
            figure svg { display: block; width: 100%; height: auto; }
            figcaption { margin-top: 0.5rem; color: #57606a; font-size: 0.9rem; max-width: 75ch; }
            @page { margin: 14mm; }
            @media print {
              body { font-size: 10.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              main { max-width: none; padding: 0; }
              nav { display: none; }
              h2 { break-after: avoid; page-break-after: avoid; }
              figure, table { break-inside: avoid; page-break-inside: avoid; }
              table { font-size: 9pt; }
              th, td { padding: 0.25rem 0.4rem; }
              .table-wrap { overflow: visible; }
              .summary .ci { display: block; }
              figure svg { max-height: 250mm; }
              a { color: inherit; text-decoration: none; }
            }
            """;

    private PageStyle() {
    }
}
