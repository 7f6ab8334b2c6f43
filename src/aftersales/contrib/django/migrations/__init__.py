"""The app's migrations: ``0001`` brings the store's tables up to date through its schema steps."""
