"""Writes of the storefront, one module per noun: the cart, checkout, fulfilment, renewals."""
