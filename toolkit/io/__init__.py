"""Every byte of Excel and Word in or out: schemas, readers, writers, file checks."""
