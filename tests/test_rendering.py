"""Teacher notes are Markdown rendered without raw HTML or script links."""

from webapp.rendering import render_markdown


def test_markdown_formats_prose():
    html = render_markdown("Ask them **first** to check the event.\n\n- one\n- two")
    assert "<strong>first</strong>" in html and "<li>one</li>" in html


def test_raw_html_and_script_links_are_not_rendered():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror=alert(1)> '
                           '[click](javascript:alert(1))')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
