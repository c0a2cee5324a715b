"""Reader: an offline desktop reader for collections of articles."""

__version__ = "0.1.0"
APP_NAME = "Reader"
