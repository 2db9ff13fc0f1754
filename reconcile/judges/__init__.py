"""The kinds of judge: one module each, named by its kind (Settings.judge), with a `load() -> judging.Judge`.

What a judge takes and gives is judging.py's `Judge` protocol; a module here may use any stage below
the score (its weights live under reconcile/data/).
"""
