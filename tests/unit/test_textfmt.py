from eventhub.textfmt import render_markdown


def test_markdown_keeps_formatting_and_links():
    html = render_markdown("**Open** data, [CMS](https://www.cms.gov/)\n\n- one\n- two")
    assert "<strong>Open</strong>" in html
    assert '<a href="https://www.cms.gov/" rel="nofollow noopener noreferrer">CMS</a>' in html
    assert "<li>one</li>" in html


def test_markdown_drops_script_handlers_and_javascript_links():
    html = str(
        render_markdown(
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"
        )
    )
    assert "<script" not in html and "<img" not in html  # shown as text, never as tags
    assert "&lt;script&gt;" in html
    assert "<a" not in html


def test_markdown_top_heading_becomes_h2():
    assert render_markdown("# Agenda").strip() == "<h2>Agenda</h2>"


def test_rich_text_drops_script_even_without_other_html():
    from eventhub.textfmt import render_rich_text

    html = str(
        render_rich_text("Hospital beds by state. <script>alert('x')</script> Updated daily.")
    )

    assert "<script" not in html and "alert" not in html
    assert "Hospital beds by state." in html and "Updated daily." in html


def test_rich_text_keeps_markdown_when_there_is_no_html():
    from eventhub.textfmt import render_rich_text

    html = str(render_rich_text("Counts of **clinics**, where a < b."))

    assert "<strong>clinics</strong>" in html and "a &lt; b" in html
