from flask import render_template

from portal.public import bp


@bp.get("/")
def start():
    return render_template("public/start.html")
