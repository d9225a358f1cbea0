"""Business rules and I/O, framework-free: one module per concern."""
