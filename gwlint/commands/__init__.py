"""The runners of the commands that build a model instead of linting: `gwlint status`
(`status`), `gwlint implementations` (`implementations`) and `gwlint migration` (`migration`).

Each loads PATHs as `gwlint check` does (`runner.load_context`), asks its model package
(`gwlint.status`, `gwlint.implementations`, `gwlint.migration`) and prints one text
(`runner.run_text`: exit 0, or 2 for usage, configuration or internal errors). The model packages
never import a runner: they sit below the engine, which the rules that read them run under.
"""
