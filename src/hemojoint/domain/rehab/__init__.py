"""The individualised 12-week rehabilitation programme (REFERENCE.md section 1).

``model`` holds the shared vocabulary (problems, goals, sessions, plans);
``library`` the exercise library's shape; ``problems``, ``goals``, ``planner``,
``review``, ``adherence`` and ``mdt`` the rules. All pure: dates come in as
arguments, data (the exercise library, the provisional rule thresholds) is
handed in already parsed.
"""
