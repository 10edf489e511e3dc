"""Panel and public views of the domains app, one module per area."""
