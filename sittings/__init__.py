"""The congress sessions of a town (人代会)."""
