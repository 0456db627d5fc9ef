"""The demo's loaders: a synthetic partnership, loaded into the app's database.

Demo code is not product code, so it lives outside `saferhub.web`. Every file goes through
the same `saferhub.sources` readers a real partnership's files go through, and each load is
recorded as one "import" audit event (bulk loading skips the per-record events on purpose).
`saferhub demo` (`saferhub.commands.demo`) is the only caller outside the tests.
"""
