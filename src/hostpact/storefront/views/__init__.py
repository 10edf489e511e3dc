"""The storefront's pages, one module per page: home and search, the cart, checkout."""
