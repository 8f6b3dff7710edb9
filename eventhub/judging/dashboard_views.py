"""Organizers' judging dashboard: progress, score distributions, agreement, CSV."""

from __future__ import annotations

from flask import Response, g, render_template

from eventhub.authz import requires
from eventhub.judging import dashboard as board
from eventhub.judging.blueprint import bp


@bp.get("/manage/judging")
@requires("judging.organize")
def dashboard():
    return render_template("judging/dashboard.html", event=g.event, board=board.build(g.event))


@bp.get("/manage/judging/scores.csv")
@requires("judging.organize")
def scores_csv():
    return Response(
        board.scores_csv(g.event),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{g.event.slug}-scores.csv"'},
    )
