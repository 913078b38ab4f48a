"""The shared kernel: what every bounded context may import. It imports no app, no HTTP
platform and no operations code."""
