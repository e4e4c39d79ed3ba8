"""`odsc`: the command line, the second front end beside the window. Qt-free: it imports no
module of ui/ outside this package."""
