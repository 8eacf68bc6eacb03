"""The uppföljningsrapport as one accessible web page, from the same model as its PDF.

The frame, the blocks and the measures are the document page's (writers/html.py); the summary's
chart is a figure with a caption: a table of statuses whose bar cells each hold an SVG bar
(role img, its value in words as its label) and the number beside it as text, so it is read as
a table and seen as a chart, without a script or a picture of text.
"""

from __future__ import annotations

from styrdok.model.document import BarChart, Section, plain
from styrdok.project.settings import DEFAULT_CITY, City
from styrdok.writers import html
from styrdok.writers.html import e, inlines, measure_html, page
from styrdok.writers.uppfoljning.report import FollowUpReport, sections, title

BAR_HEIGHT = 16


def chart_html(chart: BarChart) -> str:
    """The chart as a figure: caption, header row, and a row per bar with its SVG and number."""
    full = chart.total or max(chart.values, default=0) or 1
    head = "".join(f'<th scope="col">{inlines(c)}</th>' for c in chart.header)
    rows = []
    for i, row in enumerate(chart.rows):
        cells = []
        for j, cell in enumerate(row):
            if j == 0:
                cells.append(f'<th scope="row">{inlines(cell)}</th>')
            elif j == chart.bar:
                width = round(100 * chart.values[i] / full, 2)
                if not width:  # no bar to draw; its number beside says 0
                    cells.append('<td style="width:55%"></td>')
                    continue
                cells.append(
                    '<td style="width:55%">'
                    f'<svg role="img" aria-label="{e(chart.alt(i))}" width="100%" '
                    f'height="{BAR_HEIGHT}" viewBox="0 0 100 {BAR_HEIGHT}" '
                    'preserveAspectRatio="none" focusable="false">'
                    f'<rect x="0" y="0" width="{width}" height="{BAR_HEIGHT}" '
                    f'fill="#{chart.colours[i]}"/></svg></td>'
                )
            else:
                cells.append(f'<td style="white-space:nowrap">{inlines(cell)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption = e(chart.caption)
    return (
        f'<figure class="chart" aria-label="{caption}" style="margin:0 0 1rem">'
        f'{html.scroller(chart.caption)}<table><caption class="vh">{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        f"</figure>"
    )


def section_html(section: Section) -> list[str]:
    out = [
        f'<section aria-labelledby="{e(section.id)}">',
        f'<h2 id="{e(section.id)}">{inlines(section.title)}</h2>',
    ]
    for block in section.blocks:
        if isinstance(block, BarChart):
            out.append(chart_html(block))
        else:
            out += html.blocks((block,), 2)
    for measure in section.measures:
        number = plain(measure.number or ()).strip()
        out += measure_html(number, measure)
    out.append("</section>")
    return out


def report_page(report: FollowUpReport, city: City = DEFAULT_CITY) -> str:
    """The report as one self-contained page."""
    heading, subtitle = title(report)
    body = [
        f'<h1>{e(heading)}<span class="vh">: </span>'
        f'<span class="subtitle-inline">{e(subtitle)}</span></h1>',
    ]
    for section in sections(report):
        body += section_html(section)
    top = (
        f'<p class="head">{e(report.current.date.isoformat())}<br>UPPFÖLJNINGSRAPPORT<br>'
        f"DNR {e(report.doc.metadata.dnr)}</p>"
    )
    return page(f"{heading}: {subtitle}", body, top, city=city)
