"""What the SQL adapters share: the tickets base, the record and vocabulary tables, the schema.

Private. :class:`~aftersales.storage._sql.store.SQLStore` is the base of
:class:`~aftersales.storage.sqlite.SQLiteStore` and
:class:`~aftersales.storage.postgres.PostgresStore`; it writes its SQL with
``?`` placeholders and lets the dialect translate them. The modules here
import the domain, the ports and each other, never a dialect.
"""
