"""Pages of the supervision app, one module per part; supervision/urls.py names them."""
